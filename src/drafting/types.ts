// What a draft holds: proposed statements shaped as `recordStatement` input, with the evidence
// (character spans of the text) for every part, and what is proposed new. Database ids here;
// the schema turns them into global IDs.
import type {
  ClaimantAffiliation,
  ClaimantKind,
  FigureMetric,
  IncidentKind,
  OrganisationKind,
  PlaceKind,
  Side,
  SourceKind,
  StatementKind,
  VerificationStatus,
  VictimCategory,
} from '../generated/prisma/enums.js';
import type { Quantity } from '../claims/quantity-phrases.js';

/** Where something was read: `text.slice(start, end)` of the draft's text. */
export interface Span {
  start: number;
  end: number;
  text: string;
}

/** A reading the drafter did not choose, and how likely it thinks it is (0–1). */
export interface Alternative {
  description: string;
  confidence: number;
}

export interface DraftClaimant {
  kind: ClaimantKind;
  organisationId: number | null;
  officialId: number | null;
  /** Who said it, in the text's words. */
  description: string;
  affiliation: ClaimantAffiliation;
  /** The known entity's name, the proposed new entity's name, or the unnamed speaker's words. */
  label: string;
  /** KNOWN: matched by name, alias or role; UNNAMED: an unnamed speaker; NEW: a name the gateway does not know; PRONOUN: "he said", resolved to the speaker before. */
  match: 'KNOWN' | 'UNNAMED' | 'NEW' | 'PRONOUN' | 'NOT_STATED';
  /** Index into `Draft.proposedEntities` when the claimant must be created first. */
  proposedEntity: number | null;
  evidence: Span | null;
  confidence: number;
  alternatives: Alternative[];
}

export interface DraftBreakdownItem {
  label: string;
  count: number;
  evidence: Span;
}

export interface DraftFigure {
  metric: FigureMetric;
  victimCategory: VictimCategory;
  side: Side;
  victimDescription: string;
  countedOrganisationId: number | null;
  placeId: number | null;
  /** Index into `Draft.proposedPlaces` when the place is new. */
  proposedPlace: number | null;
  incidentId: number | null;
  quantity: Quantity;
  breakdown: DraftBreakdownItem[];
  /** The earlier figure of this draft that this one revises. */
  supersedes: { statement: number; figure: number } | null;
  evidence: {
    quantity: Span;
    metric: Span | null;
    victim: Span | null;
    place: Span | null;
    revision: Span | null;
  };
  confidence: number;
  alternatives: Alternative[];
}

export interface DraftStatement {
  kind: StatementKind;
  claimant: DraftClaimant;
  madeAt: Date | null;
  madeAtPrecision: 'DAY' | 'EXACT';
  /** The words as reported: the sentences (or the clause) of the text the statement rests on. */
  text: string;
  textSpan: Span;
  verification: VerificationStatus;
  verificationNote: string | null;
  verifiedById: number | null;
  /** The chain of sources, outermost first: indexes into `Draft.sources`. */
  sourceChain: number[];
  /** Indexes into `Draft.incidents`. */
  incidents: number[];
  figures: DraftFigure[];
  evidence: {
    kind: Span | null;
    attribution: Span | null;
    verification: Span | null;
  };
  confidence: number;
  /** What stops the statement from being recorded as it stands (a new entity to create first). */
  needs: string[];
}

/** A source in a chain: the text itself, a report it cites, or the claimant's own statement or video. */
export interface DraftSource {
  role: 'TEXT' | 'CITED_REPORT' | 'CLAIMANT_SOURCE';
  /** The matched Source's id, or null when it is proposed new. */
  sourceId: number | null;
  /** The Source to create when none matched: createSource's input (publisher by id, when known). */
  externalId: string;
  title: string | null;
  description: string;
  kind: SourceKind;
  publisherId: number | null;
  publisherName: string | null;
  byline: string | null;
  publishedAt: Date | null;
  /** The name a chain shows for it: the publisher, or the kind of source. */
  label: string;
  evidence: Span | null;
  /** How it was matched ("same title and publisher") or why it is new. */
  matchedBy: string;
}

export interface DraftIncident {
  incidentId: number | null;
  /** For a proposed incident: createIncident's fields. */
  externalId: string;
  title: string;
  kind: IncidentKind;
  startedAt: Date | null;
  placeIds: number[];
  evidence: Span | null;
  confidence: number;
  alternatives: (Alternative & { incidentId: number })[];
  matchedBy: string;
}

export interface DraftPlace {
  externalId: string;
  name: string;
  kind: PlaceKind;
  parentId: number | null;
  evidence: Span;
}

export interface ProposedEntity {
  entityType: 'Organisation' | 'Official';
  externalId: string;
  name: string | null;
  description: string | null;
  kind: OrganisationKind | null;
  /** For an official: the role title the text gives ("Interior Minister"). */
  roleTitle: string | null;
  evidence: Span;
}

export interface Draft {
  /** The text the spans point into (HTML stripped, when it was HTML). */
  text: string;
  /** The prefix of every external ID this text proposes (`draft:` and a hash of the text): the same text always proposes the same IDs. */
  key: string;
  /** Why the draft is empty or what was done to the text (HTML stripped, not English, ...). */
  notes: string[];
  statements: DraftStatement[];
  sources: DraftSource[];
  incidents: DraftIncident[];
  proposedPlaces: DraftPlace[];
  proposedEntities: ProposedEntity[];
}
