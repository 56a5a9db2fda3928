// The chain of sources a drafted statement came through: the text itself (published by the
// publisher), a report it cites ("Reuters, citing security officials"), and the claimant's own
// statement, video or post. Each is matched to a Source already recorded, or proposed new with a
// stable external ID (the same text always proposes the same IDs, so creating them twice is a replay).
import { createHash } from 'node:crypto';
import type { SourceKind } from '../generated/prisma/enums.js';
import { normalise, type Known, type KnownOrganisation } from './known.js';
import type { DraftClaimant, DraftSource, Span } from './types.js';

export const slug = (s: string) =>
  normalise(s)
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 60) || 'x';

/** The external ID prefix of everything a text proposes: `draft:<first 16 hex of its SHA-256>`. */
export const draftKey = (text: string) => `draft:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

export class SourceChains {
  readonly sources: DraftSource[] = [];

  constructor(
    private readonly known: Known,
    private readonly key: string,
    private readonly publisher: { id: number | null; name: string | null },
    text: { title: string | null; byline: string | null; publishedAt: Date | null },
  ) {
    const title = text.title ? normalise(text.title) : null;
    const externalId = `${key}:text`;
    const byId = known.sources.find((s) => s.externalId === externalId);
    const byTitle = title ? known.sources.find((s) => s.title && normalise(s.title) === title && (!publisher.id || s.publisherId === publisher.id)) : undefined;
    const matched = byId ?? byTitle ?? null;
    this.sources.push({
      role: 'TEXT',
      sourceId: matched?.id ?? null,
      externalId: matched?.externalId ?? externalId,
      title: text.title,
      description: publisher.name ? `Report published by ${publisher.name}` : 'The report these claims were drafted from',
      kind: 'NEWS_ARTICLE',
      publisherId: publisher.id,
      publisherName: publisher.name,
      byline: text.byline,
      publishedAt: text.publishedAt,
      label: publisher.name ?? 'the text',
      evidence: null,
      matchedBy: byId
        ? 'the external ID this text always proposes'
        : byTitle
          ? 'the same title and publisher'
          : 'not recorded yet: create it (createSource) before recording the statements',
    });
  }

  /** Chains already recorded behind this text's source. */
  private chainsBehindText() {
    const text = this.sources[0]!.sourceId;
    return text ? this.known.chains.filter((c) => c.sourceIds[0] === text) : [];
  }

  /** The report of a news agency or outlet the text cites. */
  citedReport(carrier: KnownOrganisation | { id: null; name: string }, evidence: Span | null): number {
    const existing = this.sources.findIndex((s) => s.role === 'CITED_REPORT' && s.publisherName === carrier.name);
    if (existing >= 0) return existing;
    const recorded =
      carrier.id === null
        ? undefined
        : this.chainsBehindText()
            .flatMap((c) => c.sourceIds.slice(1))
            .map((id) => this.known.sources.find((s) => s.id === id))
            .find((s) => s?.publisherId === carrier.id);
    this.sources.push({
      role: 'CITED_REPORT',
      sourceId: recorded?.id ?? null,
      externalId: recorded?.externalId ?? `${this.key}:report:${slug(carrier.name)}`,
      title: null,
      description: `${carrier.name} report cited by ${this.publisher.name ?? 'the text'}`,
      kind: 'NEWS_AGENCY_REPORT',
      publisherId: carrier.id,
      publisherName: carrier.name,
      byline: null,
      publishedAt: null,
      label: carrier.name,
      evidence,
      matchedBy: recorded
        ? `the ${carrier.name} report already recorded behind this text`
        : 'not recorded yet: create it (createSource) before recording the statements',
    });
    return this.sources.length - 1;
  }

  /** The claimant's own statement, video or post the text says the words came from. */
  claimantSource(kind: SourceKind, label: string, claimant: DraftClaimant, evidence: Span): number {
    const sameClaimant = (c: { officialId: number | null; organisationId: number | null; claimantDescription: string }) =>
      (claimant.officialId !== null && c.officialId === claimant.officialId) ||
      (claimant.organisationId !== null && c.organisationId === claimant.organisationId) ||
      (claimant.officialId === null && claimant.organisationId === null && normalise(c.claimantDescription) === normalise(claimant.description));
    const recorded = this.chainsBehindText()
      .filter(sameClaimant)
      .flatMap((c) => c.sourceIds.slice(1))
      .map((id) => this.known.sources.find((s) => s.id === id))
      .find((s) => s?.kind === kind);
    const existing = this.sources.findIndex(
      (s) => s.role === 'CLAIMANT_SOURCE' && s.kind === kind && (recorded ? s.sourceId === recorded.id : s.description.includes(claimant.label)),
    );
    if (existing >= 0) return existing;
    const what =
      { SOCIAL_MEDIA_VIDEO: 'Video', SOCIAL_MEDIA_POST: 'Social-media post', PRESS_RELEASE: 'Press release', OFFICIAL_STATEMENT: 'Statement' }[
        kind as string
      ] ?? 'Source';
    this.sources.push({
      role: 'CLAIMANT_SOURCE',
      sourceId: recorded?.id ?? null,
      externalId: recorded?.externalId ?? `${this.key}:${slug(label)}:${slug(claimant.label)}`,
      title: null,
      description: `${what} by ${claimant.label}, as cited by ${this.publisher.name ?? 'the text'}`,
      kind,
      publisherId: null,
      publisherName: null,
      byline: null,
      publishedAt: null,
      label: kind,
      evidence,
      matchedBy: recorded
        ? `the ${label} already recorded for this claimant behind this text`
        : 'not recorded yet: create it (createSource) before recording the statements',
    });
    return this.sources.length - 1;
  }
}
