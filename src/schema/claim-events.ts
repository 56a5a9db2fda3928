// The live feed as a GraphQL subscription, served over server-sent events: what is claimed,
// revised and retracted, as it is written, for the incidents, places and claimants you follow.
import { GraphQLError } from 'graphql';
import type { ClaimEvent } from '../events/claim-events.js';
import { completeRetraction, matches, needsFigureScope, resolveClaimEventFilter } from '../events/claim-event-filter.js';
import { builder } from './builder.js';
import { databaseId } from './common.js';
import { Figure } from './figure.js';
import { Incident } from './incident.js';
import { createLoaders } from './loaders.js';
import { Official } from './official.js';
import { Organisation } from './organisation.js';
import { Place } from './place.js';

const ClaimEventKindEnum = builder.enumType('ClaimEventKind', {
  description: 'What happened to a claim.',
  values: {
    CLAIMED: { description: 'A new figure was claimed (a statement was recorded with it).' },
    REVISED: { description: 'A claimant gave a new number for a figure: the new figure supersedes the old one, which stays in history.' },
    RETRACTED: { description: 'A figure, or a whole statement with all its figures, was retracted; it stays in history and `asOf` answers.' },
  },
});

const ClaimEventRef = builder.objectRef<ClaimEvent>('ClaimEvent').implement({
  description:
    'One thing that happened to a claim, delivered live as it is written: a figure claimed, revised or retracted. Read the statement and figure as they stand when the event is delivered.',
  fields: (t) => ({
    kind: t.field({ type: ClaimEventKindEnum, description: 'Claimed, revised or retracted.', resolve: (event) => event.kind }),
    statement: t.prismaField({
      type: 'Statement',
      description:
        'The statement: for a claim, the one that made it; for a revision, the new statement giving the new number; for a retraction, the one retracted or holding the retracted figure.',
      resolve: (query, event, _args, ctx) => ctx.prisma.statement.findUniqueOrThrow({ ...query, where: { id: event.statementId } }),
    }),
    figure: t.field({
      type: Figure,
      nullable: true,
      description:
        'The figure claimed, the new figure of a revision (its `supersedes` is the old one), or the figure retracted. Null when a whole statement was retracted.',
      resolve: (event, _args, ctx) => (event.figureId === null ? null : ctx.loaders.figure.load(event.figureId)),
    }),
    at: t.field({
      type: 'DateTime',
      description: 'When the change was written to the gateway (not when the claim was made).',
      resolve: (event) => new Date(event.at),
    }),
  }),
});

const ClaimEventFilterInput = builder.inputType('ClaimEventFilter', {
  description: 'Which events to receive. Every condition given must hold; leave the filter out to receive everything.',
  fields: (t) => ({
    incident: t.globalID({ for: [Incident], required: false, description: 'Only events about this incident or any incident inside it.' }),
    place: t.globalID({
      for: [Place],
      required: false,
      description: "Only events about figures at this place or any place inside it (a figure without a place of its own is at its incident's places).",
    }),
    claimantOrganisation: t.globalID({ for: [Organisation], required: false, description: 'Only events about claims made by this organisation.' }),
    claimantOfficial: t.globalID({ for: [Official], required: false, description: 'Only events about claims made by this official.' }),
    kinds: t.field({ type: [ClaimEventKindEnum], required: false, description: 'Only these kinds of event (default: all).' }),
  }),
});

builder.subscriptionType({
  description:
    'Live updates, delivered as server-sent events (send `Accept: text/event-stream`). A subscription receives what is written after it starts; to catch up on what you missed, page through `changes`.',
  authScopes: { read: true },
});

builder.subscriptionFields((t) => ({
  claimEvents: t.field({
    type: ClaimEventRef,
    description: 'Figures as they are claimed, revised and retracted, in the order they were written, for the incidents, places and claimants you follow.',
    args: {
      filter: t.arg({ type: ClaimEventFilterInput, required: false, description: 'Which events to receive (default: all).' }),
    },
    unauthorizedError: (_root, _args, ctx) =>
      new GraphQLError(
        ctx.caller
          ? `The API key "${ctx.caller.name}" may not use Subscription.claimEvents: it needs the READ scope`
          : 'Subscription.claimEvents needs an API key with the READ scope: send "Authorization: Bearer <key>"',
        { extensions: { code: ctx.caller ? 'FORBIDDEN' : 'UNAUTHENTICATED' } },
      ),
    subscribe: async (_root, { filter }, ctx) => {
      // Listen first, so nothing written while the trees are read is missed.
      const events = ctx.events.subscribe();
      try {
        const wanted = await resolveClaimEventFilter(ctx.prisma, {
          incidentId: filter?.incident ? databaseId(filter.incident) : null,
          placeId: filter?.place ? databaseId(filter.place) : null,
          claimantOrganisationId: filter?.claimantOrganisation ? databaseId(filter.claimantOrganisation) : null,
          claimantOfficialId: filter?.claimantOfficial ? databaseId(filter.claimantOfficial) : null,
          kinds: filter?.kinds,
        });
        return filtered(events, async (event) => matches(wanted, needsFigureScope(wanted, event) ? await completeRetraction(ctx.prisma, event) : event));
      } catch (error) {
        await events.return?.();
        throw error;
      }
    },
    // One subscription lives long: read every event fresh, never from an earlier event's batch cache.
    resolve: (event, _args, ctx) => {
      ctx.loaders = createLoaders(ctx.prisma);
      return event;
    },
  }),
}));

/** The events that pass `keep`; ending the result ends the source. */
function filtered(source: AsyncIterableIterator<ClaimEvent>, keep: (event: ClaimEvent) => Promise<boolean>): AsyncIterableIterator<ClaimEvent> {
  const iterator: AsyncIterableIterator<ClaimEvent> = {
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || (await keep(result.value))) return result;
      }
    },
    return: () => source.return?.() ?? Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
