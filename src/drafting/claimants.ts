// Who a speaker's words name: a known organisation or official (by name, alias, or — for an
// unnamed official — role), an unnamed speaker ("security officials"), a name the gateway does not
// know (proposed new), or a pronoun standing for someone named before ("he said").
import nlp from 'compromise';
import type { ClaimantAffiliation, OrganisationKind } from '../generated/prisma/enums.js';
import {
  AFFILIATION_OF_KIND,
  BODY_NOUNS,
  DEFINITE_STAND_INS,
  DOCUMENT_NOUNS,
  STATE_WORDS,
  ORGANISATION_CUES,
  PERSON_ROLES,
  TITLE_WORDS,
  UNNAMED_SPEAKERS,
} from './grammar.js';
import { slug } from './sources.js';
import { findName, namesOf, normalise, type Known, type KnownOfficial, type KnownOrganisation } from './known.js';
import type { Sentence } from './text.js';
import type { Alternative, DraftClaimant, ProposedEntity, Span } from './types.js';

/** Someone the text has named so far, for pronouns to stand for. */
export interface Mention {
  claimant: DraftClaimant;
  number: 'person' | 'organisation' | 'plural';
  at: number;
}

const GROUP_NOUNS = ['group', 'outfit', 'organisation', 'organization', 'movement', 'militia', 'faction', 'network'];
const UNNAMED = UNNAMED_SPEAKERS.flatMap((u) => u.forms.map((form) => ({ form, ...u }))).sort((a, b) => b.form.length - a.form.length);
const STATE_ROLES = [
  'minister',
  'commissioner',
  'governor',
  'officer',
  'official',
  'administrator',
  'superintendent',
  'inspector',
  'police',
  'army',
  'military',
  'deputy',
  'secretary',
  'prime minister',
  'president',
  'colonel',
  'general',
  'major',
  'captain',
  'spokesman for the ministry',
  'mayor',
  'sheriff',
];

const lowerFirst = (s: string) => (/^[A-Z][a-z]/.test(s) && !/^[A-Z][a-z]+\s+[A-Z]/.test(s) ? s[0]!.toLowerCase() + s.slice(1) : s);

export function affiliationOfOfficial(official: KnownOfficial): ClaimantAffiliation {
  for (const role of official.roles) {
    if (role.organisationKind) return AFFILIATION_OF_KIND[role.organisationKind];
    if (role.placeId) return 'STATE';
  }
  return 'UNKNOWN';
}

export const labelOfOfficial = (o: KnownOfficial) => o.name ?? o.description ?? 'an unnamed official';

/** Known organisations named in `words`, longest name first. */
export function organisationsIn(known: Known, words: string): { organisation: KnownOrganisation; name: string; at: number }[] {
  const found: { organisation: KnownOrganisation; name: string; at: number }[] = [];
  for (const organisation of known.organisations) {
    for (const name of namesOf(organisation)) {
      const at = findName(words, name);
      if (at >= 0) found.push({ organisation, name, at });
    }
  }
  return found.sort((a, b) => b.name.length - a.name.length);
}

function officialsIn(known: Known, words: string): { official: KnownOfficial; name: string }[] {
  const found: { official: KnownOfficial; name: string }[] = [];
  for (const official of known.officials) {
    for (const name of namesOf(official)) if (findName(words, name) >= 0) found.push({ official, name });
  }
  return found.sort((a, b) => b.name.length - a.name.length);
}

/** The organisation kind a new name suggests ("… Liberation Army" → ARMED_GROUP), from the grammar's cue words. */
export function organisationKindOf(words: string): OrganisationKind {
  const lower = ` ${normalise(words)} `;
  for (const cue of ORGANISATION_CUES) if (cue.words.some((w) => lower.includes(` ${w} `))) return cue.kind;
  return 'OTHER';
}

export interface ResolveContext {
  known: Known;
  text: string;
  /** Mentions before this speaker, newest last. */
  mentions: Mention[];
  proposed: ProposedEntity[];
  /** Places named in the text, for matching unnamed officials by the place of their role. */
  placeIdsNamed: Set<number>;
  /** The publisher as a claimant, for "this article said". */
  publisher: DraftClaimant | null;
}

const claimant = (fields: Partial<DraftClaimant> & Pick<DraftClaimant, 'kind' | 'description' | 'label' | 'match'>): DraftClaimant => ({
  organisationId: null,
  officialId: null,
  affiliation: 'UNKNOWN',
  proposedEntity: null,
  evidence: null,
  confidence: 0.8,
  alternatives: [],
  ...fields,
});

/** The claimant a speaker's words name, or null when they name no speaker after all. */
export function resolveSpeaker(words: Span, pronoun: 'person' | 'organisation' | 'plural' | null, context: ResolveContext): DraftClaimant | null {
  const { known } = context;
  const said = words.text.trim();

  if (pronoun) {
    const candidates = [...context.mentions].reverse().filter((m) => m.number === pronoun || (pronoun === 'plural' && m.number === 'organisation'));
    let chosen = candidates[0];
    if (!chosen) return null;
    // Someone named earlier without speaking, whom the gateway does not know: propose them now.
    if (chosen.claimant.match === 'NEW' && chosen.claimant.proposedEntity === null && chosen.claimant.evidence) {
      const named = resolveSpeaker(chosen.claimant.evidence, null, context);
      if (named) chosen = { ...chosen, claimant: named };
    }
    const others: Alternative[] = candidates
      .slice(1, 3)
      .filter((m) => m.claimant.label !== chosen.claimant.label)
      .map((m) => ({ description: `"${said}" may stand for ${m.claimant.label}`, confidence: 0.25 }));
    return {
      ...chosen.claimant,
      match: 'PRONOUN',
      description: chosen.claimant.description,
      evidence: words,
      confidence: others.length ? 0.7 : 0.85,
      alternatives: others,
    };
  }

  // "No group claimed responsibility": nobody speaks.
  if (/^(no|neither|none|nobody)\b/i.test(said)) return null;
  if (/\b(this|our)\s+(article|report|story|newspaper)\b/i.test(said) && context.publisher) return { ...context.publisher, evidence: words };
  // "the statement said", "the release said": whoever issued it, the speaker before.
  const document = /^the\s+((?:press\s+)?[\p{L}é]+)$/iu.exec(said);
  if (document && DOCUMENT_NOUNS[document[1]!.toLowerCase()]) {
    const issuer = [...context.mentions].reverse().find((m) => m.claimant.match !== 'NOT_STATED');
    if (issuer)
      return { ...issuer.claimant, evidence: words, confidence: 0.7, alternatives: [{ description: `"${said}" may be another speaker's`, confidence: 0.3 }] };
  }
  const stood = standIn(said, context);
  if (stood)
    return {
      ...stood,
      match: stood.match === 'NEW' ? 'NEW' : 'PRONOUN',
      evidence: words,
      confidence: 0.75,
      alternatives: [{ description: `"${said}" may be someone not named before`, confidence: 0.25 }],
    };
  // "Mujahid said": the surname of someone named before.
  if (/^[A-Z][\p{L}'’-]+$/u.test(said)) {
    const named = [...context.mentions]
      .reverse()
      .find((m) => m.claimant.kind === 'OFFICIAL' && m.claimant.label.split(' ').length > 1 && m.claimant.label.split(' ').pop() === said);
    if (named) return { ...named.claimant, evidence: words, confidence: 0.8 };
  }

  const officials = officialsIn(known, said);
  if (officials.length > 0) {
    const { official } = officials[0]!;
    return claimant({
      kind: 'OFFICIAL',
      officialId: official.id,
      description: said,
      label: labelOfOfficial(official),
      match: 'KNOWN',
      affiliation: affiliationOfOfficial(official),
      evidence: words,
      confidence: 0.95,
      alternatives: officials
        .slice(1, 3)
        .filter((o) => o.official.id !== official.id)
        .map((o) => ({ description: `official ${labelOfOfficial(o.official)} (also named here)`, confidence: 0.2 })),
    });
  }

  // A common-noun alias ("army") does not name the organisation when the words name someone else's ("the Nigerian Army").
  const capitalised = (said.match(/\b[A-Z][\p{L}'’-]+/gu) ?? []).filter((w) => !NOT_NAMES.test(w) && !/^(The|A|An)$/.test(w));
  const organisations = organisationsIn(known, said)
    .filter((o) => o.organisation.kind !== 'NEWS_DESK')
    .filter((o) => {
      if (o.name !== o.name.toLowerCase()) return true;
      const own = namesOf(o.organisation).map(normalise).join(' ');
      return capitalised.every((w) => own.includes(normalise(w)) || normalise(w) === normalise(o.name));
    });
  // An unnamed official known only by role ("the area's top civil administrator"), when the place of the role is named in the text.
  const lowered = normalise(said);
  const byRole = known.officials.filter(
    (o) =>
      !o.name &&
      o.roles.some((r) => r.title.split(' ').length >= 2 && lowered.includes(normalise(r.title)) && (!r.placeId || context.placeIdsNamed.has(r.placeId))),
  );
  if (byRole.length > 0 && organisations.length === 0) {
    const official = byRole[0]!;
    return claimant({
      kind: 'OFFICIAL',
      officialId: official.id,
      description: said,
      label: labelOfOfficial(official),
      match: 'KNOWN',
      affiliation: affiliationOfOfficial(official),
      evidence: words,
      confidence: 0.6,
      alternatives: [{ description: `someone else with the role "${said}" (a new official)`, confidence: 0.4 }],
    });
  }

  if (organisations.length > 0) {
    const { organisation, name } = organisations[0]!;
    // The speaker's words are the organisation itself, or a person speaking for it ("a BLA spokesman").
    const person = PERSON_ROLES.find((role) => new RegExp(`\\b${role}\\b`, 'i').test(said) && !new RegExp(`\\b${role}\\b`, 'i').test(name));
    if (person) {
      return claimant({
        kind: 'UNNAMED_PERSON',
        description: lowerFirst(said),
        label: lowerFirst(said),
        match: 'UNNAMED',
        affiliation: AFFILIATION_OF_KIND[organisation.kind],
        evidence: words,
        confidence: 0.75,
        alternatives: [{ description: `the organisation ${organisation.name} itself`, confidence: 0.35 }],
      });
    }
    return claimant({
      kind: 'ORGANISATION',
      organisationId: organisation.id,
      description: said,
      label: organisation.name,
      match: 'KNOWN',
      affiliation: AFFILIATION_OF_KIND[organisation.kind],
      evidence: words,
      confidence: name.length <= 5 && name === name.toLowerCase() ? 0.7 : 0.9,
      alternatives: organisations
        .slice(1, 3)
        .filter((o) => o.organisation.id !== organisation.id)
        .map((o) => ({ description: `organisation ${o.organisation.name} (also named here)`, confidence: 0.2 })),
    });
  }

  // A name the gateway does not know. A place after a preposition ("a security official in Islamabad") only says where.
  const core = said.replace(/\s+(?:in|at|from|based in)\s+(?:the\s+)?[A-Z][\p{L}'’ -]*$/u, '').replace(/\s+(?:in|at|from)\s+the\s+[\p{L}'’ -]+$/u, '');
  const coreLower = normalise(core);
  const names = namesIn(core, context.text);
  const role = PERSON_ROLES.filter((r) => new RegExp(`\\b${r}\\b`, 'i').test(core)).sort((a, b) => b.length - a.length)[0];
  const unnamed = UNNAMED.find((u) => {
    const bare = u.form.replace(/^(the|a|an) /, '');
    return coreLower === u.form || coreLower.endsWith(` ${bare}`) || coreLower === bare || new RegExp(`(^|\\s)${bare}(\\s+and\\s|$)`).test(coreLower);
  });
  const person = role ? personNameIn(core) : null;

  if (person && !UNNAMED.some((u) => normalise(person) === u.form)) {
    // "Health Minister Ali Shah", "a senior police official, Abdul Haq": an official; the role is the words around the name.
    const roleTitle =
      core
        .replace(person, '')
        .replace(/^[\s,]*(the|a|an)\s+/i, '')
        .replace(/[\s,]+$/, '')
        .replace(/^[\s,]+/, '')
        .replace(/^\p{L}+['’]s\s+/u, '')
        .trim() || role!;
    const proposed = propose(context, { entityType: 'Official', externalId: '', name: person, description: said, kind: null, roleTitle, evidence: words });
    return claimant({
      kind: 'OFFICIAL',
      description: said,
      label: person,
      match: 'NEW',
      proposedEntity: proposed,
      evidence: words,
      confidence: 0.6,
      affiliation: STATE_ROLES.some((r) => new RegExp(`\\b${r}\\b`, 'i').test(roleTitle)) ? 'STATE' : 'UNKNOWN',
      alternatives: [{ description: `an organisation named "${person}"`, confidence: 0.15 }],
    });
  }
  if (names.length > 0) {
    // "The Houthi movement": a one-word name with the group noun after it is the group's name.
    const after = new RegExp(`${names[0]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+(${GROUP_NOUNS.join('|')})\\b`, 'i').exec(core);
    const name = after && names[0]!.split(' ').length === 1 ? `${names[0]} ${after[1]}` : names[0]!;
    const looksLikeOrganisation = organisationKindOf(name) !== 'OTHER' || /^[A-Z]{2,}$/.test(name);
    // "the al-Shabab extremist group": the name is the group's; "the Kabul police": the police of a place, unnamed.
    const groupNoun = !!unnamed && GROUP_NOUNS.includes(unnamed.form.split(' ').pop()!);
    if (!unnamed || looksLikeOrganisation || groupNoun) {
      const kind = organisationKindOf(`${said} ${context.text.slice(Math.max(0, words.start - 60), words.start)}`);
      const proposed = propose(context, { entityType: 'Organisation', externalId: '', name, description: null, kind, roleTitle: null, evidence: words });
      return claimant({
        kind: 'ORGANISATION',
        description: said,
        label: name,
        match: 'NEW',
        proposedEntity: proposed,
        affiliation: AFFILIATION_OF_KIND[kind],
        evidence: words,
        confidence: 0.55,
        alternatives: [{ description: `a person named "${name}" (an official)`, confidence: 0.2 }],
      });
    }
  }
  if (unnamed) {
    return claimant({
      kind: unnamed.plural ? 'UNNAMED_GROUP' : 'UNNAMED_PERSON',
      description: lowerFirst(said),
      label: lowerFirst(said),
      match: 'UNNAMED',
      affiliation: unnamed.affiliation,
      evidence: words,
      confidence: 0.85,
    });
  }
  if (role) {
    return claimant({
      kind: 'UNNAMED_PERSON',
      description: lowerFirst(said),
      label: lowerFirst(said),
      match: 'UNNAMED',
      evidence: words,
      confidence: 0.6,
      affiliation: STATE_ROLES.some((r) => new RegExp(`\\b${r}\\b`, 'i').test(said)) ? 'STATE' : 'UNKNOWN',
    });
  }
  // People named by what they are ("traders say", "emergency services said", "a health worker at the hospital said").
  const headWord = core.trim().split(/\s+/).pop() ?? '';
  const headTags = nlp(headWord).json()[0]?.terms[0]?.tags ?? [];
  if (headTags.includes('Plural') || headTags.includes('Actor')) {
    const plural = headTags.includes('Plural');
    return claimant({
      kind: plural ? 'UNNAMED_GROUP' : 'UNNAMED_PERSON',
      description: lowerFirst(said),
      label: lowerFirst(said),
      match: 'UNNAMED',
      evidence: words,
      confidence: 0.5,
      affiliation: STATE_WORDS.some((w) => coreLower.includes(w)) ? 'STATE' : 'UNKNOWN',
    });
  }
  // A body named by what it is ("the state prosecutor's office").
  const head = coreLower.split(' ').pop() ?? '';
  if (BODY_NOUNS.includes(head)) {
    return claimant({
      kind: 'UNNAMED_GROUP',
      description: lowerFirst(said),
      label: lowerFirst(said),
      match: 'UNNAMED',
      evidence: words,
      confidence: 0.6,
      affiliation: STATE_WORDS.some((w) => coreLower.includes(w)) ? 'STATE' : 'UNKNOWN',
    });
  }
  return null;
}

const NAME_WORD = String.raw`(?:(?:al|el|ash|as|ad)-)?[A-Z][\p{L}'’.-]*`;
const NAME_RUN = new RegExp(`${NAME_WORD}(?:\\s+(?:${NAME_WORD}|of|for|the|and|al|bin|ul|ur|e|de|van|von)){0,8}`, 'gu');
const NOT_NAMES = /^(The|A|An|He|She|It|They|We|In|On|At|One|No|Local|Police|Army|Security|Officials?|Authorities)$/;

/**
 * Capitalised names in a speaker's words, longest first ("UN Office for the Coordination of
 * Humanitarian Affairs"); an acronym the text spelled out before ("OCHA") gives its long name.
 */
export function namesIn(words: string, text: string): string[] {
  const found = [...words.matchAll(NAME_RUN)]
    .map((m) =>
      m[0]
        .replace(/(\s+(of|for|the|and|al|bin|ul|ur|e|de|van|von))+$/, '')
        .replace(/^(The|A|An)\s+/, '')
        .replace(/['’]s$/, ''),
    )
    .filter((name) => name.length > 1 && !NOT_NAMES.test(name) && !PERSON_ROLES.includes(name.toLowerCase()))
    // A single word that only opens the sentence ("Hospital officials said") or names a people ("the Syrian defence ministry") is no name.
    .filter(
      (name) => !(name.split(' ').length === 1 && (isDemonym(name) || (words.startsWith(name) && nlp(name).has('#Noun') && !nlp(name).has('#ProperNoun')))),
    );
  return found
    .map((name) => {
      if (!/^[A-Z]{2,}$/.test(name)) return name;
      const spelled = new RegExp(`((?:${NAME_WORD})(?:\\s+(?:${NAME_WORD}|of|for|the|and)){1,8})\\s+\\(${name}\\)`, 'u').exec(text);
      return spelled ? spelled[1]!.replace(/^(The|A|An)\s+/, '') : name;
    })
    .sort((a, b) => b.length - a.length);
}

/** The person's name in words with a role: the last run of capitalised words that are not titles ("Police Capt. Mohamed Hussein" → "Mohamed Hussein"). */
function personNameIn(words: string): string | null {
  const isName = (token: string) => {
    const lower = token.toLowerCase();
    return (
      /^(?:(?:al|el|ash|as|ad)-)?[A-Z][\p{L}'’.-]*$/u.test(token) &&
      !TITLE_WORDS.has(lower) &&
      !PERSON_ROLES.includes(lower) &&
      !/['’]s$/.test(token) &&
      organisationKindOf(token) === 'OTHER' &&
      !isDemonym(token)
    );
  };
  const runOf = (tokens: string[]) => {
    const run: string[] = [];
    for (let i = tokens.length - 1; i >= 0 && isName(tokens[i]!); i--) run.unshift(tokens[i]!);
    return run.length > 0 && !(run.length === 1 && /^[A-Z]{2,}$/.test(run[0]!)) ? run.join(' ') : null;
  };
  // The name ends the words ("Taliban spokesman Zabihullah Mujahid"), or comes first before a comma ("Ali Khan, a police spokesman").
  const [head, ...rest] = words.split(/,\s*/);
  return runOf(words.replace(/,/g, ' ').split(/\s+/).filter(Boolean)) ?? (rest.length > 0 ? runOf(head!.split(/\s+/)) : null);
}

/** "Syrian", "Sudanese", "Pakistani": a people's name, not an organisation's. */
function isDemonym(word: string): boolean {
  return nlp(word).has('#Demonym') || (/^[A-Z][a-z]+(ian|ese|i)$/.test(word) && nlp(word).has('#Adjective'));
}

/**
 * "the group", "the monitor", "the hospital", "the spokesperson": a speaker named before, when
 * the noun fits it. Returns null when nothing before fits.
 */
function standIn(said: string, context: ResolveContext): DraftClaimant | null {
  const match = /^the\s+(?:[\p{L}-]+\s+)?([\p{L}]+)$/iu.exec(said.trim());
  if (!match) return null;
  const noun = match[1]!.toLowerCase();
  const kinds = DEFINITE_STAND_INS[noun];
  const mentions = [...context.mentions].reverse();
  if (kinds) {
    const organisation = mentions.find(
      (m) =>
        m.claimant.kind === 'ORGANISATION' &&
        (kinds === 'ANY' || kindOf(m.claimant, context).some((k) => kinds.includes(k)) || normalise(m.claimant.label).includes(noun)),
    );
    if (organisation) return organisation.claimant;
    // "the hospital" after "Lady Reading Hospital spokesman …": a name in the text ending in the noun.
    const named = [...context.text.matchAll(NAME_RUN)]
      .map((m) => m[0])
      .filter((n) => n.toLowerCase().endsWith(` ${noun}`))
      .pop();
    if (named) return resolveSpeaker({ start: context.text.indexOf(named), end: context.text.indexOf(named) + named.length, text: named }, null, context);
  }
  if (PERSON_ROLES.includes(noun)) {
    const person = mentions.find((m) => m.number === 'person' && normalise(m.claimant.description).includes(noun));
    if (person) return person.claimant;
  }
  return null;
}

function kindOf(c: DraftClaimant, context: ResolveContext): OrganisationKind[] {
  if (c.organisationId !== null) return [context.known.organisations.find((o) => o.id === c.organisationId)!.kind];
  if (c.proposedEntity !== null) return [context.proposed[c.proposedEntity]?.kind ?? 'OTHER'];
  return [];
}

function propose(context: ResolveContext, entity: ProposedEntity): number {
  // Named by name, not by text: the same new organisation in two texts is one record.
  entity.externalId = `draft:${entity.entityType.toLowerCase()}:${slug(entity.name ?? entity.description ?? '')}`;
  const existing = context.proposed.findIndex((p) => p.entityType === entity.entityType && p.name === entity.name);
  if (existing >= 0) return existing;
  context.proposed.push(entity);
  return context.proposed.length - 1;
}

/**
 * People a later "he"/"she" may stand for, named in a sentence without speaking: a known official
 * by name, or a person by role ("the area's top civil administrator").
 */
export function personMentions(sentence: Sentence, context: ResolveContext): Mention[] {
  const mentions: Mention[] = [];
  for (const { official } of officialsIn(context.known, sentence.text)) {
    mentions.push({
      number: 'person',
      at: sentence.start,
      claimant: claimant({
        kind: 'OFFICIAL',
        officialId: official.id,
        description: official.name ?? official.description ?? '',
        label: labelOfOfficial(official),
        match: 'KNOWN',
        affiliation: affiliationOfOfficial(official),
      }),
    });
  }
  const words = sentence.words;
  words.forEach((w, i) => {
    if (!PERSON_ROLES.includes(w.lower) || !w.tags.has('Singular')) return;
    let first = i;
    while (
      first > 0 &&
      !/[,.;:]/.test(words[first - 1]!.post) &&
      (words[first - 1]!.tags.has('Adjective') ||
        words[first - 1]!.tags.has('Noun') ||
        words[first - 1]!.tags.has('Possessive') ||
        words[first - 1]!.tags.has('Determiner'))
    ) {
      first -= 1;
      if (words[first]!.tags.has('Determiner')) break;
    }
    const said: Span = { start: words[first]!.start, end: w.end, text: context.text.slice(words[first]!.start, w.end) };
    // Only speakers are proposed as new entities: resolve against a scratch list.
    const resolved = resolveSpeaker(said, null, { ...context, proposed: [] });
    if (resolved && resolved.kind !== 'UNNAMED_GROUP') mentions.push({ number: 'person', at: w.start, claimant: { ...resolved, proposedEntity: null } });
  });
  return mentions;
}
