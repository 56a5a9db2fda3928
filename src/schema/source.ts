// Sources: the publications and recordings that carried statements.
import { SourceKind } from '../generated/prisma/enums.js';
import { builder } from './builder.js';
import { boundedTotalCount } from './counts.js';
import { describedEnum } from './common.js';
import { INCLUDE_RETRACTED, visibleStatementWhere } from '../claims/filters.js';

const carriedBy = (sourceId: number, includeRetracted: boolean | null | undefined) => ({
  AND: [{ sources: { some: { sourceId } } }, visibleStatementWhere({ includeRetracted })],
});

export const SourceKindEnum = describedEnum('SourceKind', 'What kind of publication or recording a source is.', SourceKind, {
  NEWS_ARTICLE: 'An article by a newspaper or news website.',
  NEWS_AGENCY_REPORT: 'A wire report by a news agency, often carried by other outlets.',
  PRESS_RELEASE: 'A press release by the organisation itself.',
  OFFICIAL_STATEMENT: 'A written or spoken statement issued by an official or government body.',
  SOCIAL_MEDIA_POST: 'A post on a social-media platform.',
  SOCIAL_MEDIA_VIDEO: 'A video shared on social media.',
  DATASET: 'A dataset (for example an ACLED export).',
  OTHER: 'Any other kind of source.',
});

export const Source = builder.prismaNode('Source', {
  // `node(id:)` answers null for an id that no longer exists (merged away, deleted).
  nullable: true,
  description:
    'A publication or recording that carried statements: a news article, a wire report, a video. A statement reaches the reader through a chain of sources (The Indian Express ← Reuters ← security officials).',
  id: { field: 'id' },
  fields: (t) => ({
    title: t.exposeString('title', {
      nullable: true,
      description: 'The headline or title, when known (a wire report cited by another outlet often has none).',
    }),
    description: t.exposeString('description', { description: 'What the source is, in a few words ("Reuters report cited by The Indian Express").' }),
    kind: t.expose('kind', { type: SourceKindEnum, description: 'Article, wire report, video...' }),
    publisher: t.relation('publisher', { nullable: true, description: 'Who published it, when known.' }),
    byline: t.exposeString('byline', { nullable: true, description: 'The byline as printed ("Express Global Desk").' }),
    url: t.exposeString('url', { nullable: true, description: 'Where it can be read or watched, when known.' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true, description: 'When it was published, when known.' }),
    statements: t.prismaConnection(
      {
        type: 'Statement',
        cursor: 'id',
        description: 'Statements this source carried, at any position in their source chains. Retracted statements are left out unless asked for.',
        args: { includeRetracted: t.arg.boolean({ required: false, description: INCLUDE_RETRACTED }) },
        resolve: (query, source, args, ctx) =>
          ctx.prisma.statement.findMany({ ...query, where: carriedBy(source.id, args.includeRetracted), orderBy: { id: 'asc' } }),
        totalCount: boundedTotalCount((source: { id: number }, args: { includeRetracted?: boolean | null }, ctx, take) =>
          ctx.prisma.statement.count({ where: carriedBy(source.id, args.includeRetracted), take }),
        ),
      },
      { description: 'A page of statements.' },
      { description: 'A statement in the list.' },
    ),
  }),
});

builder.prismaObject('StatementSource', {
  name: 'SourceLink',
  description: "One link in a statement's source chain. Position 0 is what the reader saw; higher positions are closer to whoever made the statement.",
  fields: (t) => ({
    position: t.exposeInt('position', { description: '0 for the outermost source, counting towards the claimant.' }),
    source: t.relation('source', { description: 'The source at this position.' }),
  }),
});

builder.queryFields((t) => ({
  sources: t.prismaConnection(
    {
      type: 'Source',
      cursor: 'id',
      description: 'Sources, in the order they were recorded.',
      resolve: (query, _root, _args, ctx) => ctx.prisma.source.findMany({ ...query, orderBy: { id: 'asc' } }),
      totalCount: boundedTotalCount((_root, _args, ctx, take) => ctx.prisma.source.count({ take })),
    },
    { description: 'A page of sources.' },
    { description: 'A source in the list.' },
  ),
}));
