// Who a speaker's words name: a known organisation or official (by name, alias, or — for an
// unnamed official — role), an unnamed speaker ("security officials"), a name the gateway does not
// know (proposed new), or a pronoun standing for someone named before ("he said").
import type { ClaimantAffiliation, OrganisationKind } from '../generated/prisma/enums.js';
import { AFFILIATION_OF_KIND, ORGANISATION_CUES, PERSON_ROLES, UNNAMED_SPEAKERS } from './grammar.js';
import { findName, namesOf, normalise, type Known, type KnownOfficial, type KnownOrganisation } from './known.js';
import type { Sentence } from './text.js';
import type { Alternative, DraftClaimant, ProposedEntity, Span } from './types.js';

/** Someone the text has named so far, for pronouns to stand for. */
export interface Mention {
  claimant: DraftClaimant;
  number: 'person' | 'organisation' | 'plural';
  at: number;
}

const UNNAMED = UNNAMED_SPEAKERS.flatMap((u) => u.forms.map((form) => ({ form, ...u }))).sort((a, b) => b.form.length - a.form.length);
const STATE_ROLES = ['minister', 'commissioner', 'governor', 'officer', 'official', 'administrator', 'superintendent', 'inspector', 'police', 'army', 'military', 'deputy', 'secretary', 'prime minister', 'president', 'colonel', 'general', 'major', 'captain', 'spokesman for the ministry', 'mayor', 'sheriff'];

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
    const others: Alternative[] = candidates.slice(1, 3).filter((m) => m.claimant.label !== chosen.claimant.label).map((m) => ({ description: `"${said}" may stand for ${m.claimant.label}`, confidence: 0.25 }));
    return { ...chosen.claimant, match: 'PRONOUN', description: chosen.claimant.description, evidence: words, confidence: others.length ? 0.7 : 0.85, alternatives: others };
  }

  const officials = officialsIn(known, said);
  if (officials.length > 0) {
    const { official } = officials[0]!;
    return claimant({
      kind: 'OFFICIAL', officialId: official.id, description: said, label: labelOfOfficial(official), match: 'KNOWN',
      affiliation: affiliationOfOfficial(official), evidence: words, confidence: 0.95,
      alternatives: officials.slice(1, 3).filter((o) => o.official.id !== official.id).map((o) => ({ description: `official ${labelOfOfficial(o.official)} (also named here)`, confidence: 0.2 })),
    });
  }

  const organisations = organisationsIn(known, said).filter((o) => o.organisation.kind !== 'NEWS_DESK');
  // An unnamed official known only by role ("the area's top civil administrator"), when the place of the role is named in the text.
  const lowered = normalise(said);
  const byRole = known.officials.filter((o) => !o.name && o.roles.some((r) => r.title.split(' ').length >= 2 && lowered.includes(normalise(r.title)) && (!r.placeId || context.placeIdsNamed.has(r.placeId))));
  if (byRole.length > 0 && organisations.length === 0) {
    const official = byRole[0]!;
    return claimant({
      kind: 'OFFICIAL', officialId: official.id, description: said, label: labelOfOfficial(official), match: 'KNOWN', affiliation: affiliationOfOfficial(official),
      evidence: words, confidence: 0.6, alternatives: [{ description: `someone else with the role "${said}" (a new official)`, confidence: 0.4 }],
    });
  }

  if (organisations.length > 0) {
    const { organisation, name } = organisations[0]!;
    // The speaker's words are the organisation itself, or a person speaking for it ("a BLA spokesman").
    const person = PERSON_ROLES.find((role) => new RegExp(`\\b${role}\\b`, 'i').test(said) && !new RegExp(`\\b${role}\\b`, 'i').test(name));
    if (person) {
      return claimant({
        kind: 'UNNAMED_PERSON', description: lowerFirst(said), label: lowerFirst(said), match: 'UNNAMED', affiliation: AFFILIATION_OF_KIND[organisation.kind], evidence: words, confidence: 0.75,
        alternatives: [{ description: `the organisation ${organisation.name} itself`, confidence: 0.35 }],
      });
    }
    return claimant({
      kind: 'ORGANISATION', organisationId: organisation.id, description: said, label: organisation.name, match: 'KNOWN', affiliation: AFFILIATION_OF_KIND[organisation.kind], evidence: words,
      confidence: name.length <= 5 && name === name.toLowerCase() ? 0.7 : 0.9,
      alternatives: organisations.slice(1, 3).filter((o) => o.organisation.id !== organisation.id).map((o) => ({ description: `organisation ${o.organisation.name} (also named here)`, confidence: 0.2 })),
    });
  }

  // A name the gateway does not know: capitalised words other than a sentence's first common word.
  const names = [...said.matchAll(/\b(?:[A-Z][\p{L}'’.-]*|[A-Z]{2,})(?:\s+(?:[A-Z][\p{L}'’.-]*|of|al|bin|ul|ur|e|de|van|von)){0,5}/gu)]
    .map((m) => ({ text: m[0].replace(/\s+(of|al|bin|ul|ur|e|de|van|von)$/, ''), at: m.index }))
    .filter((m) => !(m.at === 0 && UNNAMED.some((u) => normalise(m.text).startsWith(u.form.replace(/^(the|a|an) /, '')))))
    .filter((m) => !/^(The|A|An|He|She|It|They|We|In|On|At|Pakistan's|Pakistan’s)$/.test(m.text));
  const role = PERSON_ROLES.filter((r) => new RegExp(`\\b${r}\\b`, 'i').test(said)).sort((a, b) => b.length - a.length)[0];
  const unnamed = UNNAMED.find((u) => lowered === u.form || lowered.endsWith(` ${u.form}`) || lowered.endsWith(u.form.replace(/^(the|a|an) /, '')));

  if (names.length > 0) {
    const name = names.sort((a, b) => b.text.length - a.text.length)[0]!.text;
    const looksLikeOrganisation = organisationKindOf(name) !== 'OTHER' || /^[A-Z]{2,}$/.test(name);
    if (role && !looksLikeOrganisation) {
      // "Health Minister Ali Shah": an official. The role is what the text says around the name.
      const roleTitle = said.replace(name, '').replace(/^[\s,]*(the|a|an)\s+/i, '').replace(/[\s,]+$/, '').replace(/^[\s,]+/, '').replace(/^\p{L}+'s\s+/u, '') || role;
      const proposed = propose(context, { entityType: 'Official', externalId: '', name, description: said, kind: null, roleTitle, evidence: words });
      return claimant({
        kind: 'OFFICIAL', description: said, label: name, match: 'NEW', proposedEntity: proposed, evidence: words, confidence: 0.6,
        affiliation: STATE_ROLES.some((r) => new RegExp(`\\b${r}\\b`, 'i').test(roleTitle)) ? 'STATE' : 'UNKNOWN',
        alternatives: [{ description: `an organisation named "${name}"`, confidence: 0.15 }],
      });
    }
    if (!unnamed || looksLikeOrganisation) {
      const kind = organisationKindOf(`${said} ${context.text.slice(Math.max(0, words.start - 60), words.start)}`);
      const proposed = propose(context, { entityType: 'Organisation', externalId: '', name, description: null, kind, roleTitle: null, evidence: words });
      return claimant({
        kind: 'ORGANISATION', description: said, label: name, match: 'NEW', proposedEntity: proposed, affiliation: AFFILIATION_OF_KIND[kind], evidence: words, confidence: 0.55,
        alternatives: [{ description: `a person named "${name}" (an official)`, confidence: 0.2 }],
      });
    }
  }
  if (unnamed) {
    return claimant({
      kind: unnamed.plural ? 'UNNAMED_GROUP' : 'UNNAMED_PERSON', description: lowerFirst(said), label: lowerFirst(said), match: 'UNNAMED',
      affiliation: unnamed.affiliation, evidence: words, confidence: 0.85,
    });
  }
  if (role) {
    return claimant({
      kind: 'UNNAMED_PERSON', description: lowerFirst(said), label: lowerFirst(said), match: 'UNNAMED', evidence: words, confidence: 0.6,
      affiliation: STATE_ROLES.some((r) => new RegExp(`\\b${r}\\b`, 'i').test(said)) ? 'STATE' : 'UNKNOWN',
    });
  }
  return null;
}

function propose(context: ResolveContext, entity: ProposedEntity): number {
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
    mentions.push({ number: 'person', at: sentence.start, claimant: claimant({ kind: 'OFFICIAL', officialId: official.id, description: official.name ?? official.description ?? '', label: labelOfOfficial(official), match: 'KNOWN', affiliation: affiliationOfOfficial(official) }) });
  }
  const words = sentence.words;
  words.forEach((w, i) => {
    if (!PERSON_ROLES.includes(w.lower) || !w.tags.has('Singular')) return;
    let first = i;
    while (first > 0 && !/[,.;:]/.test(words[first - 1]!.post) && (words[first - 1]!.tags.has('Adjective') || words[first - 1]!.tags.has('Noun') || words[first - 1]!.tags.has('Possessive') || words[first - 1]!.tags.has('Determiner'))) {
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
