// Drafting claims from a report: the text is read sentence by sentence (compromise), each
// attributed clause becomes a statement by its speaker, unattributed sentences join the speaker of
// their paragraph, and each statement gets its figures, breakdowns, revisions, verification,
// source chain, places and incident. Nothing is written: the draft is for a person to check.
import type { StatementKind } from '../generated/prisma/enums.js';
import { readClauses, type Attribution, type Clause } from './attribution.js';
import { organisationKindOf, organisationsIn, personMentions, resolveSpeaker, type Mention, type ResolveContext } from './claimants.js';
import { readFigures, type FigureReading } from './figures.js';
import { AFFILIATION_OF_KIND, CARRIER_KINDS, OPERATION_AGENT, OPERATION_WORDS, RESPONSIBILITY_PATTERN, STATEMENT_KIND_CUES } from './grammar.js';
import { verificationIn, type Verification } from './verification.js';
import { namesOf, normalise, type Known } from './known.js';
import { incidentFromScores, incidentKindsIn, mostSpecific, placeMentions, scoreIncidents, unknownPlaceAfterPreposition, weekdayDate } from './places.js';
import { linkUpdates, withoutRepeats } from './across-statements.js';
import { draftKey, slug, SourceChains } from './sources.js';
import { prepareText, readText, span, type Sentence } from './text.js';
import type { Draft, DraftClaimant, DraftFigure, DraftIncident, DraftStatement, Span } from './types.js';

export interface DraftRequest {
  text: string;
  /** When the report was published: statements are dated by it (to the day). */
  publishedAt: Date | null;
  /** Who published it, by name ("The Indian Express"): the outermost source's publisher. */
  publisher: string | null;
}

/** One clause as read: its speaker (if any) and what it holds. */
interface Unit {
  paragraph: number;
  sentence: Sentence;
  clause: Clause;
  claimant: DraftClaimant | null;
  attribution: Attribution | null;
  carrier: { id: number | null; name: string; span: Span } | null;
  readings: FigureReading[];
  verification: Verification | null;
}

const DAY = 86_400_000;
const dayOf = (date: Date | null) => (date ? new Date(Math.floor(date.getTime() / DAY) * DAY) : null);
const KIND_STRENGTH: StatementKind[] = ['RESPONSIBILITY_CLAIM', 'HOSTAGE_MESSAGE', 'DENIAL', 'CONDEMNATION'];
const STATE_AGENTS = new Set([
  'it',
  'they',
  'we',
  'forces',
  'troops',
  'soldiers',
  'army',
  'military',
  'police',
  'personnel',
  'policemen',
  'commandos',
  'units',
  'officers',
]);

const notStated = (reviser: DraftClaimant | null): DraftClaimant => ({
  kind: 'UNNAMED_GROUP',
  organisationId: null,
  officialId: null,
  description: 'not stated: the text gives an earlier figure without saying who gave it',
  affiliation: 'UNKNOWN',
  label: '(not stated)',
  match: 'NOT_STATED',
  proposedEntity: null,
  evidence: null,
  confidence: 0.6,
  alternatives: reviser ? [{ description: `the same speaker as the revision (${reviser.label})`, confidence: 0.4 }] : [],
});

/** The number a claimant is for pronouns: "he" for people, "it" for organisations, "they" for groups. */
const numberOf = (c: DraftClaimant): Mention['number'] =>
  c.kind === 'OFFICIAL' || c.kind === 'UNNAMED_PERSON'
    ? 'person'
    : c.kind === 'ORGANISATION' || /\b(army|military|government|ministry|administration|police|group|force)$/i.test(c.description)
      ? 'organisation'
      : 'plural';

/** Drafts the claims of one report against what the gateway knows. Throws InvalidInputError for texts it will not read. */
export function draftClaims(request: DraftRequest, known: Known): Draft {
  const prepared = prepareText(request.text);
  const empty: Draft = {
    text: prepared.text,
    key: draftKey(prepared.text),
    notes: prepared.notes,
    statements: [],
    sources: [],
    incidents: [],
    proposedPlaces: [],
    proposedEntities: [],
  };
  if (!prepared.english) return empty;
  const text = prepared.text;
  const read = readText(text);
  const key = empty.key;
  const day = dayOf(request.publishedAt);

  const publisherOrg = request.publisher
    ? (known.organisations.find((o) => namesOf(o).some((n) => normalise(n) === normalise(request.publisher!))) ?? null)
    : null;
  const draft: Draft = { ...empty, text };
  const publisherKind =
    publisherOrg?.kind ?? (request.publisher && organisationKindOf(request.publisher) !== 'OTHER' ? organisationKindOf(request.publisher) : 'NEWS_OUTLET');
  if (request.publisher && !publisherOrg) {
    draft.proposedEntities.push({
      entityType: 'Organisation',
      externalId: `draft:organisation:${slug(request.publisher)}`,
      name: request.publisher,
      description: null,
      kind: publisherKind,
      roleTitle: null,
      evidence: span(text, 0, 0),
    });
  }
  const chains = new SourceChains(
    known,
    key,
    { id: publisherOrg?.id ?? null, name: publisherOrg?.name ?? request.publisher },
    { title: read.title?.text ?? null, byline: read.byline, publishedAt: request.publishedAt },
  );
  draft.sources = chains.sources;

  const allPlaces = placeMentions(known, text, 0, text.length);
  const mainPlace =
    (read.title && mostSpecific(known, placeMentions(known, text, read.title.start, read.title.end), read.title.start)) ??
    mostSpecific(
      known,
      allPlaces.filter((m) => read.paragraphs[0] && m.span.end <= read.paragraphs[0].end),
      0,
    );
  // The publisher speaks for sentences no one else does, and for "this article said".
  const publisherClaimant: DraftClaimant = {
    kind: publisherOrg ? 'ORGANISATION' : 'UNNAMED_GROUP',
    organisationId: publisherOrg?.id ?? null,
    officialId: null,
    description: publisherOrg?.name ?? request.publisher ?? 'the text itself (no speaker named)',
    affiliation: AFFILIATION_OF_KIND[publisherKind],
    label: publisherOrg?.name ?? request.publisher ?? '(the text)',
    match: publisherOrg ? 'KNOWN' : 'UNNAMED',
    proposedEntity: publisherOrg || !request.publisher ? null : 0,
    evidence: null,
    confidence: 0.4,
    alternatives: [{ description: 'the words may belong to a speaker named elsewhere in the text', confidence: 0.4 }],
  };
  const context: ResolveContext = {
    known,
    text,
    mentions: [],
    proposed: draft.proposedEntities,
    placeIdsNamed: new Set(allPlaces.map((m) => m.placeId)),
    publisher: publisherClaimant,
  };

  // ——— read every clause ———
  const units: Unit[] = [];
  for (const [p, paragraph] of read.paragraphs.entries()) {
    for (const sentence of paragraph.sentences) {
      const clauses = readClauses(text, sentence);
      // A person named inside a speaker's words ("Atta-ur-Rehman, a senior police officer") is that speaker, not someone else.
      const speakers = clauses.flatMap((c) => (c.attribution ? [c.attribution.speaker] : []));
      const sentenceMentions = personMentions(sentence, context).filter((m) => !speakers.some((sp) => m.at >= sp.start && m.at < sp.end));
      for (const clause of clauses) {
        const a = clause.attribution;
        const before = sentenceMentions.filter((m) => !a || m.at < a.speaker.start);
        context.mentions = [...context.mentions, ...before.filter((m) => !context.mentions.includes(m))].sort((x, y) => x.at - y.at);
        const visible = { ...context, mentions: context.mentions.filter((m) => !a || m.at < a.speaker.start) };
        let claimant = a ? resolveSpeaker(a.speaker, a.pronoun, visible) : null;
        let carrier: Unit['carrier'] = null;
        if (a?.carrier) {
          const org = organisationsIn(known, a.carrier.text)[0]?.organisation;
          carrier = { id: org?.id ?? null, name: org?.name ?? a.carrier.text.replace(/^the\s+/i, ''), span: a.carrier };
          // "told Reuters" in Reuters' own copy: no report in between.
          if ((org && org.id === publisherOrg?.id) || (request.publisher && normalise(carrier.name) === normalise(request.publisher))) carrier = null;
        } else if (claimant?.match === 'KNOWN' && claimant.organisationId) {
          // An agency's own reporting ("Reuters reported"): it carries and claims.
          const org = known.organisations.find((o) => o.id === claimant!.organisationId)!;
          if (CARRIER_KINDS.has(org.kind) && org.id !== publisherOrg?.id) carrier = { id: org.id, name: org.name, span: a!.speaker };
        }
        if (claimant && claimant.organisationId !== null && claimant.organisationId === publisherOrg?.id && claimant.match === 'KNOWN')
          claimant = { ...claimant, affiliation: 'INDEPENDENT' };
        // "denied reports that 30 policemen had been killed": the figures of what is denied are not the speaker's.
        const readings = readFigures(text, sentence, a ? clause.contentStart : clause.start, a ? clause.contentEnd : clause.end).filter((r) => {
          const before = text.slice(clause.start, r.quantitySpan.start);
          return !/\b(denied|denies|rejected|dismissed|refuted)\s+(the\s+)?(reports?|claims?|allegations?|rumou?rs?)\s+(that|of)\b(?![\s\S]*\bsaying\b)/i.test(
            before,
          );
        });
        units.push({
          paragraph: p,
          sentence,
          clause,
          claimant,
          attribution: claimant ? a : null,
          carrier,
          readings,
          verification: verificationIn(known, text, clause.start, clause.end),
        });
        if (claimant) context.mentions.push({ claimant, number: numberOf(claimant), at: a!.speaker.start });
      }
      context.mentions = [...context.mentions, ...sentenceMentions.filter((m) => !context.mentions.includes(m))].sort((x, y) => x.at - y.at);
    }
  }

  // ——— group clauses into statements ———
  const groups: Unit[][] = [];
  const verifications: { group: Unit[] | null; unit: Unit }[] = [];
  for (let p = 0; p < read.paragraphs.length; p++) {
    const inParagraph = units.filter((u) => u.paragraph === p);
    const paragraphGroups: Unit[][] = [];
    const orphans: Unit[] = [];
    for (const unit of inParagraph) {
      if (!unit.claimant) {
        if (unit.verification && unit.readings.length === 0) {
          verifications.push({ group: paragraphGroups[paragraphGroups.length - 1] ?? groups[groups.length - 1] ?? null, unit });
        } else if (unit.readings.length > 0) {
          const previous = paragraphGroups[paragraphGroups.length - 1];
          if (previous) previous.push(unit);
          else orphans.push(unit);
        }
        continue;
      }
      const previous = paragraphGroups[paragraphGroups.length - 1];
      const last = previous?.[previous.length - 1];
      const sameSpeaker = last?.claimant && last.claimant.label === unit.claimant.label && last.sentence !== unit.sentence && !unit.attribution?.later;
      // Sentences before a sentence-final attribution ("…, Reuters, citing security officials, reported.") are its speaker's too.
      const sentenceFinal = unit.attribution !== null && unit.clause.contentStart < unit.attribution.speaker.start;
      if (previous && sameSpeaker) previous.push(unit);
      else if (sentenceFinal) paragraphGroups.push([...orphans.splice(0), unit]);
      else {
        if (orphans.length > 0) paragraphGroups.push(orphans.splice(0));
        paragraphGroups.push([unit]);
      }
    }
    // Sentences with figures and no speaker in their paragraph: the publisher's own reporting.
    if (orphans.length > 0) paragraphGroups.push(orphans);
    groups.push(...paragraphGroups);
  }

  // ——— build statements ———
  const statements: DraftStatement[] = [];
  const documentIncident = { value: null as number | null };
  const incidentOf = (index: number | null) => (index === null ? null : draft.incidents[index]!.incidentId);
  const addIncident = (incident: DraftIncident) => {
    const existing = draft.incidents.findIndex((i) =>
      incident.incidentId !== null ? i.incidentId === incident.incidentId : i.externalId === incident.externalId,
    );
    if (existing >= 0) return existing;
    draft.incidents.push(incident);
    return draft.incidents.length - 1;
  };
  const newDocumentIncident = () => {
    if (documentIncident.value !== null) return documentIncident.value;
    // The incident proposed for this text before, once created, is matched by its external ID.
    const created = known.incidents.find((i) => i.externalId === `${key}:incident`);
    if (created) {
      documentIncident.value = addIncident({
        incidentId: created.id,
        externalId: created.externalId!,
        title: created.title,
        kind: created.kind,
        startedAt: created.startedAt,
        placeIds: created.placeIds,
        evidence: read.title ?? null,
        confidence: 0.6,
        alternatives: [],
        matchedBy: 'the incident proposed for this text before (its external ID)',
      });
      return documentIncident.value;
    }
    const lead = read.paragraphs[0] ? text.slice(read.paragraphs[0].start, read.paragraphs[0].end) : text;
    const title = read.title?.text ?? lead.slice(0, 120);
    documentIncident.value = addIncident({
      incidentId: null,
      externalId: `${key}:incident`,
      title,
      kind: incidentKindsIn(lead)[0] ?? incidentKindsIn(text)[0] ?? 'OTHER',
      startedAt: weekdayDate(lead, day) ?? day,
      placeIds: mainPlace ? [mainPlace.placeId] : [],
      evidence: read.title ?? null,
      confidence: 0.5,
      alternatives: [],
      matchedBy: 'no recorded incident matches: proposed new from the text (create it with createIncident)',
    });
    return documentIncident.value;
  };

  let previousParagraph = -1;
  let previousIncident: number | null = null;
  let previousAlso: number[] = [];
  for (const group of groups) {
    const speaking = group.find((u) => u.claimant) ?? null;
    const claimant: DraftClaimant = speaking?.claimant ?? publisherClaimant;
    const paragraph = group[0]!.paragraph;
    const statementText = group.map((u) => text.slice(u.clause.start, u.clause.end)).join(' ');
    const textSpan = span(text, Math.min(...group.map((u) => u.clause.start)), Math.max(...group.map((u) => u.clause.end)));
    const speakerSpans = group.flatMap((u) => (u.attribution ? [u.attribution.speaker] : []));

    // Figures, with their places; breakdown parts join the figure they break down; earlier figures become statements of their own.
    const figures: (DraftFigure & { reading: FigureReading; unit: Unit })[] = [];
    const earlier: { reading: FigureReading; unit: Unit }[] = [];
    const placeNeeds: string[] = [];
    for (const unit of group) {
      for (const reading of unit.readings) {
        if (reading.role === 'EARLIER') earlier.push({ reading, unit });
        if (reading.role === 'BREAKDOWN') {
          const target = [...figures].reverse().find((f) => f.reading.quantitySpan.start < reading.quantitySpan.start);
          if (target)
            target.breakdown.push({
              label: reading.victim.head,
              count: reading.quantity.low!,
              evidence:
                reading.quantitySpan.start < (reading.victim.span?.start ?? 0)
                  ? span(text, reading.quantitySpan.start, reading.victim.span!.end)
                  : reading.quantitySpan,
            });
          // "most of the dead were civilians, including four children": with nothing to break down, a figure of its own.
          else if (reading.metric) reading.role = 'FIGURE';
        }
        if (reading.role !== 'FIGURE') continue;
        const clauseFrom = unit.clause.start;
        // Places inside a speaker's words or the victims' ("Pakistan security personnel") say whose, not where.
        const mentions = placeMentions(known, text, clauseFrom, unit.clause.end, [...speakerSpans, ...(reading.victim.span ? [reading.victim.span] : [])]);
        const near = mostSpecific(known, mentions, reading.quantitySpan.start);
        let placeId = near?.placeId ?? figures[figures.length - 1]?.placeId ?? null;
        let placeSpan = near?.span ?? figures[figures.length - 1]?.evidence.place ?? null;
        let proposedPlace: number | null = null;
        if (!near) {
          const unknown = unknownPlaceAfterPreposition(known, text, clauseFrom, unit.clause.end);
          if (unknown) {
            const externalId = `draft:place:${slug(unknown.name)}`;
            proposedPlace = draft.proposedPlaces.findIndex((p) => p.externalId === externalId);
            if (proposedPlace < 0) {
              draft.proposedPlaces.push({ externalId, name: unknown.name, kind: unknown.kind, parentId: mainPlace?.placeId ?? null, evidence: unknown.span });
              proposedPlace = draft.proposedPlaces.length - 1;
            }
            placeId = null;
            placeSpan = unknown.span;
          } else if (placeId === null) {
            const inParagraph = mostSpecific(
              known,
              placeMentions(known, text, read.paragraphs[paragraph]!.start, read.paragraphs[paragraph]!.end, speakerSpans),
              reading.quantitySpan.start,
            );
            placeId = inParagraph?.placeId ?? mainPlace?.placeId ?? null;
            placeSpan = inParagraph?.span ?? mainPlace?.span ?? null;
          }
        }
        if (proposedPlace !== null)
          placeNeeds.push(
            `figures[${figures.length}].place: "${draft.proposedPlaces[proposedPlace]!.name}" is not known: create the place proposed in proposedPlaces[${proposedPlace}] and draft again`,
          );
        const counted = organisationsIn(known, reading.victim.description)[0]?.organisation ?? null;
        figures.push({
          reading,
          unit,
          metric: reading.metric!,
          victimCategory: reading.victim.category,
          side: reading.victim.side,
          victimDescription: reading.victim.description,
          countedOrganisationId: counted && counted.kind !== 'NEWS_AGENCY' ? counted.id : null,
          placeId,
          proposedPlace,
          incidentId: null,
          quantity: reading.quantity,
          breakdown: [],
          supersedes: null,
          evidence: { quantity: reading.quantitySpan, metric: reading.metricSpan, victim: reading.victim.span, place: placeSpan, revision: null },
          confidence: reading.confidence,
          alternatives:
            reading.victim.side === 'UNSPECIFIED' && reading.victim.category !== 'PEOPLE'
              ? [{ description: `${reading.victim.description} may be counted on the state's side (STATE_FORCES)`, confidence: 0.3 }]
              : [],
        });
      }
    }

    // Kind: the strongest cue in the words, else what the figures say.
    const lowerText = statementText.toLowerCase();
    const cue = STATEMENT_KIND_CUES.flatMap((c) => c.phrases.map((phrase) => ({ kind: c.kind, phrase, at: lowerText.indexOf(phrase) })))
      .filter((c) => c.at >= 0)
      .sort((a, b) => KIND_STRENGTH.indexOf(a.kind) - KIND_STRENGTH.indexOf(b.kind))[0];
    // An operation report: the state's forces acting ("troops killed 23", "security forces conducted an operation"),
    // or only enemies counted in an operation or encounter.
    const onlyEnemies =
      figures.length > 0 && figures.every((f) => f.side === 'NON_STATE_ARMED_GROUP' && ['KILLED', 'ARRESTED', 'SURRENDERED'].includes(f.metric));
    const operation =
      claimant.affiliation === 'STATE' &&
      (OPERATION_AGENT.test(statementText) ||
        (onlyEnemies && (figures.some((f) => f.reading.agent && STATE_AGENTS.has(f.reading.agent)) || OPERATION_WORDS.some((w) => lowerText.includes(w)))));
    const responsibility = claimant.affiliation === 'NON_STATE_ARMED_GROUP' && RESPONSIBILITY_PATTERN.test(statementText);
    const kind: StatementKind =
      cue?.kind ?? (responsibility ? 'RESPONSIBILITY_CLAIM' : operation ? 'OPERATION_REPORT' : figures.length > 0 ? 'CASUALTY_REPORT' : 'SITUATION_REPORT');
    const cueAt = cue ? textSpan.start + text.slice(textSpan.start, textSpan.end).toLowerCase().indexOf(cue.phrase) : -1;
    const kindEvidence = cue && cueAt >= textSpan.start ? span(text, cueAt, cueAt + cue.phrase.length) : null;

    // Verification: in the statement's own words, or in a sentence after it ("Reuters could not independently verify the video").
    const verification = group.map((u) => u.verification).find((v) => v) ?? verifications.find((v) => v.group === group)?.unit.verification ?? null;

    // Source chain: the text, a report it cites, the claimant's own statement or video.
    const chain = [0];
    const carrier = group.find((u) => u.carrier)?.carrier;
    // A news agency the gateway does not know ("told AFP"): proposed, so its report can have a publisher.
    if (
      carrier &&
      carrier.id === null &&
      /^[A-Z]/.test(carrier.name) &&
      !/^(Local|Some|Other|State)\b/.test(carrier.name) &&
      !draft.proposedEntities.some((e) => e.entityType === 'Organisation' && e.name === carrier.name)
    ) {
      draft.proposedEntities.push({
        entityType: 'Organisation',
        externalId: `draft:organisation:${slug(carrier.name)}`,
        name: carrier.name,
        description: null,
        kind: organisationKindOf(carrier.name) === 'OTHER' ? 'NEWS_AGENCY' : organisationKindOf(carrier.name),
        roleTitle: null,
        evidence: carrier.span,
      });
    }
    if (carrier)
      chain.push(
        chains.citedReport(carrier.id !== null ? known.organisations.find((o) => o.id === carrier.id)! : { id: null, name: carrier.name }, carrier.span),
      );
    else if (verification?.verifierIsCarrier && verification.verifierName) {
      const org =
        verification.verifierId !== null ? known.organisations.find((o) => o.id === verification.verifierId)! : { id: null, name: verification.verifierName };
      chain.push(chains.citedReport(org, verification.span));
    }
    const sourceCue = group.map((u) => u.attribution?.sourceCue).find((c) => c);
    if (sourceCue) chain.push(chains.claimantSource(sourceCue.kind, sourceCue.label, claimant, sourceCue.span));

    // Date: the day of publication, or the day before for "a day after … said", or the weekday named.
    const shift = speaking?.attribution?.dayShift;
    const madeAt = !day ? null : !shift ? day : 'days' in shift ? new Date(day.getTime() + shift.days * DAY) : weekdayDate(`on ${shift.weekday}`, day);

    // Incident: the best-scoring known one, else the one before in the paragraph, else one proposed for the text.
    // Only places the statement's own words name count as evidence (not a place a figure took from its paragraph).
    const placeIds = [...new Set(placeMentions(known, text, textSpan.start, textSpan.end, speakerSpans).map((m) => m.placeId))];
    const matched = incidentFromScores(scoreIncidents(known, statementText, placeIds, weekdayDate(statementText, day) ?? day), textSpan);
    let incidentIndex: number;
    const alsoAbout: number[] = [];
    if (matched) {
      incidentIndex = addIncident(matched.best);
      alsoAbout.push(...matched.siblings.map(addIncident));
    } else if (previousIncident !== null && previousParagraph === paragraph) {
      incidentIndex = previousIncident;
      alsoAbout.push(...previousAlso);
    } else if (
      known.incidents.length > 0 &&
      previousIncident !== null &&
      draft.incidents[previousIncident]!.incidentId !== null &&
      scoreIncidents(known, statementText, placeIds, day).some((s) => s.incident.id === draft.incidents[previousIncident!]!.incidentId)
    )
      incidentIndex = previousIncident;
    else incidentIndex = mainIncident(known, draft, statements, newDocumentIncident);
    previousIncident = incidentIndex;
    previousAlso = alsoAbout;
    previousParagraph = paragraph;
    for (const f of figures) f.incidentId = incidentOf(incidentIndex);

    const needs: string[] = [];
    if (claimant.proposedEntity !== null)
      needs.push(
        `claimant: "${claimant.label}" is not known to the gateway: create the ${draft.proposedEntities[claimant.proposedEntity]!.entityType.toLowerCase()} proposed in proposedEntities[${claimant.proposedEntity}] and draft again`,
      );
    needs.push(...placeNeeds);

    const statementBase = {
      claimant,
      madeAt,
      madeAtPrecision: 'DAY' as const,
      verification: verification?.status ?? ('NOT_ASSESSED' as const),
      verificationNote: verification?.note ?? null,
      verifiedById: verification?.verifierId ?? null,
      sourceChain: chain,
      incidents: [incidentIndex, ...alsoAbout],
      needs,
    };

    // Earlier figures: a statement of their own before this one, superseded by the figure that revises them.
    for (const { reading, unit } of earlier) {
      const reviser =
        [...figures]
          .sort(
            (a, b) => Math.abs(a.reading.quantitySpan.start - reading.quantitySpan.start) - Math.abs(b.reading.quantitySpan.start - reading.quantitySpan.start),
          )
          .find((f) => f.unit === unit) ?? figures[0];
      if (!reviser) continue;
      const own = /\b(his|her|its|their)\s+(own\s+)?(earlier|previous|initial)\b/i.test(
        reading.cueSpan?.text ?? text.slice(Math.max(0, reading.quantitySpan.start - 40), reading.quantitySpan.start),
      );
      // Its words: from the last comma before it (or its cue) to the next one ("revising an earlier death toll of five", "22 reported earlier in the day").
      const clauseStart = Math.max(
        unit.clause.start,
        text.lastIndexOf(',', reading.quantitySpan.start) + 1,
        /from\s*$/i.test(reading.cueSpan?.text ?? '') ? reading.quantitySpan.start : 0,
      );
      const nextBreak = text.slice(reading.quantitySpan.end, unit.clause.end).search(/[,;.]/);
      const said = span(
        text,
        clauseStart + (text.slice(clauseStart).length - text.slice(clauseStart).trimStart().length),
        nextBreak < 0 ? unit.clause.end : reading.quantitySpan.end + nextBreak,
      );
      statements.push({
        ...statementBase,
        kind: 'CASUALTY_REPORT',
        claimant: own ? claimant : notStated(claimant),
        text: said.text,
        textSpan: said,
        verification: 'NOT_ASSESSED',
        verificationNote: null,
        verifiedById: null,
        sourceChain: [0],
        figures: [
          {
            ...reviser,
            reading: undefined,
            unit: undefined,
            quantity: reading.quantity,
            breakdown: [],
            supersedes: null,
            evidence: { ...reviser.evidence, quantity: reading.quantitySpan, revision: reading.cueSpan, metric: reading.metricSpan ?? reviser.evidence.metric },
            confidence: 0.7,
            alternatives: [],
          } as DraftFigure,
        ],
        evidence: { kind: null, attribution: null, verification: null },
        confidence: 0.6,
        needs: [...needs.filter((n) => !n.startsWith('claimant') || own)],
      });
      reviser.supersedes = { statement: statements.length - 1, figure: 0 };
      reviser.evidence.revision = reading.cueSpan;
    }

    statements.push({
      ...statementBase,
      kind,
      text: statementText,
      textSpan,
      figures: figures.map(({ reading: _r, unit: _u, ...figure }) => figure),
      evidence: {
        kind: kindEvidence,
        attribution: speaking?.attribution
          ? span(
              text,
              Math.min(speaking.attribution.speaker.start, speaking.attribution.verb.start),
              Math.max(speaking.attribution.speaker.end, speaking.attribution.verb.end),
            )
          : null,
        verification: verification?.span ?? null,
      },
      confidence: Math.round(Math.min(claimant.confidence, ...figures.map((f) => f.confidence), 1) * 100) / 100,
    });
  }

  draft.statements = withoutRepeats(statements);
  linkUpdates(draft);
  for (const s of draft.statements) {
    for (const [n, f] of s.figures.entries()) {
      if (f.supersedes)
        s.needs.push(`figures[${n}].supersedes: record statement ${f.supersedes.statement} of this draft first, then give its figure's id and version`);
    }
    for (const index of s.sourceChain) {
      const source = draft.sources[index]!;
      if (source.sourceId === null)
        s.needs.push(`sources: "${source.description}" is not recorded yet: create it (createSource, externalId "${source.externalId}") and draft again`);
    }
    for (const index of s.incidents) {
      const incident = draft.incidents[index]!;
      if (incident.incidentId === null)
        s.needs.push(`incidents: "${incident.title}" is not recorded yet: create it (createIncident, externalId "${incident.externalId}") and draft again`);
    }
  }
  if (draft.statements.length === 0) draft.notes.push('No attributed statement or casualty figure was found in the text.');
  return draft;
}

/** The incident most statements of the text are about so far, else one proposed for the text. */
function mainIncident(known: Known, draft: Draft, statements: DraftStatement[], propose: () => number): number {
  const counts = new Map<number, number>();
  for (const s of statements)
    for (const i of s.incidents)
      if (draft.incidents[i]!.incidentId !== null && known.incidents.find((k) => k.id === draft.incidents[i]!.incidentId)?.parentId === null)
        counts.set(i, (counts.get(i) ?? 0) + 1);
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
  return best ? best[0] : propose();
}
