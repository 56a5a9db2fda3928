// The inputs of claims: a statement with its claimant, figures, quantities as said; a revision;
// a retraction. Declared once: the rules every write path checks and the GraphQL inputs.
import { z } from 'zod';
import {
  ClaimantAffiliation,
  ClaimantKind,
  DatePrecision,
  FigureMetric,
  QuantityKind,
  Side,
  StatementKind,
  VerificationStatus,
  VictimCategory,
} from '../generated/prisma/enums.js';
import { MAX_COUNT, readQuantityPhrase } from '../claims/quantity-phrases.js';
import { bool, completed, date, enumOf, externalId, inputObject, int, ref, refList, text, version } from '../rules/fields.js';
import { EXTERNAL_ID } from './docs.js';

const count = (description: string) => int(0, MAX_COUNT, `${description} A whole number from 0 to 10,000,000.`, 'must not be negative');

/**
 * The quantity as said: kind, low and high as the client read the words, or only the words, which
 * the gateway then reads by the quantity-phrase rules (src/claims/quantity-phrases.ts) and labels
 * as its own reading. The same rules hold in the database (CHECK constraints, migration …_figure_checks).
 */
const phraseRule = text(200, 'The words as said ("at least 67", "some 10", "dozens").');
const saidQuantity = inputObject(
  'QuantityInput',
  'A quantity as said. EXACT/APPROXIMATE: low = high = the number; AT_LEAST: low only; AT_MOST: high only; RANGE: low < high; UNQUANTIFIED ("dozens"): neither. Always the words in `phrase`. Send only `phrase` to have the gateway read kind, low and high from the words ("at least 67", "some 10", "between 38 and 45", "dozens"); the figure then says `readFromPhrase: true`.',
  {
    kind: enumOf(QuantityKind, 'How the quantity was said; leave out (with low and high) to have the gateway read it from `phrase`.').nullish(),
    low: count('The lowest number the words give.').nullish(),
    high: count('The highest number the words give.').nullish(),
    phrase: phraseRule,
  },
  (q, refuse) => {
    if (q.kind == null) {
      for (const field of ['low', 'high'] as const) {
        if (q[field] != null)
          refuse('kind', `is required with ${field}: send kind, low and high as you read the words, or only phrase to have the gateway read them`, 'REQUIRED');
      }
      // Words that broke their own rule (empty, too long) are refused for that alone.
      const read = phraseRule.safeParse(q.phrase).success ? readQuantityPhrase(q.phrase) : null;
      if (read && 'error' in read) refuse('phrase', `${read.error}; or send kind, low and high as you read the words`, 'NOT_A_QUANTITY');
      return;
    }
    const need = (field: 'low' | 'high', present: boolean, why: string) => {
      if ((q[field] != null) !== present) refuse(field, why, present ? 'REQUIRED' : 'INCONSISTENT');
    };
    switch (q.kind) {
      case 'EXACT':
      case 'APPROXIMATE':
        need('low', true, `is required for ${q.kind} (the number said)`);
        need('high', true, `is required for ${q.kind} and must equal low`);
        if (q.low != null && q.high != null && q.low !== q.high) refuse('high', `must equal low for ${q.kind}`);
        break;
      case 'AT_LEAST':
        need('low', true, 'is required for AT_LEAST (the bound said)');
        need('high', false, 'must be left out for AT_LEAST: the words give no upper bound');
        break;
      case 'AT_MOST':
        need('high', true, 'is required for AT_MOST (the bound said)');
        need('low', false, 'must be left out for AT_MOST: the words give no lower bound');
        break;
      case 'RANGE':
        need('low', true, 'is required for RANGE');
        need('high', true, 'is required for RANGE');
        if (q.low != null && q.high != null && q.low >= q.high) refuse('high', `must be above low (${q.low}) for a RANGE`);
        break;
      case 'UNQUANTIFIED':
        need('low', false, 'must be left out for UNQUANTIFIED: no number is invented for words like "dozens"');
        need('high', false, 'must be left out for UNQUANTIFIED: no number is invented for words like "dozens"');
        break;
    }
  },
);

export const quantityInput = completed(saidQuantity, (q) => {
  if (q.kind != null) return { kind: q.kind, low: q.low ?? null, high: q.high ?? null, phrase: q.phrase, readFromPhrase: false };
  const read = readQuantityPhrase(q.phrase) as Exclude<ReturnType<typeof readQuantityPhrase>, { error: string }>;
  return { ...read, readFromPhrase: true };
});

export const breakdownInput = inputObject('BreakdownItemInput', 'One part of a figure ("5 men").', {
  label: text(100, 'Who this part counts ("men").'),
  count: count('How many.'),
});

export const breakdownList = z
  .array(breakdownInput)
  .max(50, 'must hold at most 50 items')
  .meta({ description: 'Parts as reported (5 men, 3 women, 3 children); at most 50.' });

export const periodInput = inputObject(
  'FigurePeriodInput',
  'The period a figure counts, when the reporting gives one of its own ("in a three-day operation, 4 to 6 March"): from its first day (or moment) to its last, both included.',
  {
    from: date('The first day (or moment) counted.'),
    to: date('The last day (or moment) counted, not before `from`; leave out for a period of one day (or month...) as written in `from`.').nullish(),
  },
  (period, refuse) => {
    if (period.to && period.to.at < period.from.at) refuse('to', 'must not be before from', 'EMPTY_RANGE');
  },
);

export const figureInput = inputObject(
  'FigureInput',
  'A figure the statement claims.',
  {
    externalId: externalId(`${EXTERNAL_ID} Used for the figure.`).nullish(),
    metric: enumOf(FigureMetric, 'What is counted.'),
    victimCategory: enumOf(VictimCategory, 'Who is counted.'),
    side: enumOf(Side, 'Whose people are counted.'),
    victimDescription: text(500, "Who was counted, in the reporting's words."),
    countedOrganisation: ref(['Organisation'], 'Whose people were counted, when said.').nullish(),
    place: ref(['Place'], 'Where the counted people were.').nullish(),
    incident: ref(['Incident'], 'The incident the figure counts for.').nullish(),
    period: periodInput.nullish(),
    quantity: quantityInput,
    breakdown: breakdownList.nullish(),
    supersedes: ref(['Figure'], 'An earlier figure this one revises (it stays, superseded).').nullish(),
    supersedesVersion: version(
      'The `version` of the superseded figure you read: if it changed since, the write is refused with a Conflict. Required with `supersedes`.',
    ).nullish(),
  },
  (figure, refuse) => {
    if (figure.supersedes && figure.supersedesVersion == null)
      refuse('supersedesVersion', 'is required with supersedes: send the version of the figure you read', 'REQUIRED');
  },
);

export const claimantInput = inputObject(
  'ClaimantInput',
  "Who made the statement: an official, an organisation, or an unnamed speaker in the reporting's words.",
  {
    kind: enumOf(ClaimantKind, 'OFFICIAL, ORGANISATION, UNNAMED_GROUP or UNNAMED_PERSON.'),
    official: ref(['Official'], 'The official (for OFFICIAL only).').nullish(),
    organisation: ref(['Organisation'], 'The organisation (for ORGANISATION only).').nullish(),
    description: text(500, 'Who said it, in the reporting\'s words ("security officials").'),
    affiliation: enumOf(ClaimantAffiliation, 'Whom the claimant speaks for (default UNKNOWN).').nullish(),
  },
  (claimant, refuse) => {
    const { kind } = claimant;
    if (kind === 'OFFICIAL' && !claimant.official) refuse('official', 'is required when the claimant is an OFFICIAL', 'REQUIRED');
    if (kind === 'ORGANISATION' && !claimant.organisation) refuse('organisation', 'is required when the claimant is an ORGANISATION', 'REQUIRED');
    if (kind !== 'OFFICIAL' && claimant.official) refuse('official', `must be left out for a ${kind} claimant`);
    if (kind !== 'ORGANISATION' && claimant.organisation) refuse('organisation', `must be left out for a ${kind} claimant`);
  },
);

/** Claims are about the past: a statement dated more than a day ahead is a mistake. */
const FUTURE_SLACK_MS = 24 * 3600_000;

const madeAt = date('When it was made, if the reporting says.');
const madeAtPrecision = enumOf(DatePrecision, 'How precisely `madeAt` is known: by default, as precisely as it is written (a date: DAY; a date-time: EXACT).');
const verificationNote = text(2_000, "The reporting's words about verification.");

export const recordStatementInput = inputObject(
  'RecordStatementInput',
  'A statement with its claimant, source chain, incidents and figures: recorded all together or not at all.',
  {
    externalId: externalId(`${EXTERNAL_ID} Used for the statement.`).nullish(),
    kind: enumOf(StatementKind, 'What the statement does.'),
    claimant: claimantInput,
    madeAt: madeAt.nullish(),
    madeAtPrecision: madeAtPrecision.nullish(),
    text: text(20_000, 'The words as reported.'),
    isDirectQuote: bool('True when `text` is a direct quote.').nullish(),
    verification: enumOf(VerificationStatus, 'What the reporting says about verification (default NOT_ASSESSED).').nullish(),
    verificationNote: verificationNote.nullish(),
    verifiedBy: ref(['Organisation'], 'Who verified or tried to.').nullish(),
    sources: refList(['Source'], 20, 'The source chain, outermost first (what the reader saw, then what it cited).').nullish(),
    incidents: refList(['Incident'], 100, 'The incidents the statement is about.').nullish(),
    figures: z.array(figureInput).max(200, 'must hold at most 200 items').meta({ description: 'The figures it claims (at most 200).' }).nullish(),
  },
  (statement, refuse) => {
    if (statement.madeAt && statement.madeAt.at.getTime() > Date.now() + FUTURE_SLACK_MS) refuse('madeAt', 'must not be in the future', 'NOT_ALLOWED');
    const seen = new Set<string>();
    (statement.figures ?? []).forEach((figure, n) => {
      if (!figure.externalId) return;
      if (seen.has(figure.externalId)) refuse(`figures.${n}.externalId`, "must differ from the other figures' external IDs", 'NOT_ALLOWED');
      seen.add(figure.externalId);
    });
  },
);

export const reviseFigureInput = inputObject(
  'ReviseFigureInput',
  'A new quantity for a figure, said later: recorded as a new figure that supersedes the old one (which stays).',
  {
    figure: ref(['Figure'], 'The figure to revise.'),
    expectedVersion: version('The `version` you read: if it changed since, the revision is refused with a Conflict.'),
    quantity: quantityInput,
    breakdown: breakdownList.nullish(),
    text: text(20_000, 'The words of the revision as reported.'),
    madeAt: madeAt.nullish(),
    madeAtPrecision: madeAtPrecision.nullish(),
    sources: refList(['Source'], 20, "The revision's source chain (default: the old statement's).").nullish(),
    externalId: externalId(`${EXTERNAL_ID} Used for the revising statement.`).nullish(),
  },
);

const reason = text(2_000, 'Why it is retracted.');
const expectedVersion = version('The `version` you read; refused with a Conflict if it changed.').nullish();

export const retractStatementInput = inputObject('RetractStatementInput', 'A statement to retract, with the reason.', {
  statement: ref(['Statement'], 'The statement to retract.'),
  reason,
  expectedVersion,
});

export const retractFigureInput = inputObject('RetractFigureInput', 'A figure to retract, with the reason.', {
  figure: ref(['Figure'], 'The figure to retract.'),
  reason,
  expectedVersion,
});
