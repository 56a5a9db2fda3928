// The live feed: what happened to claims, published after each write commits.
import { createPubSub } from 'graphql-yoga';

export type ClaimEventKind = 'CLAIMED' | 'REVISED' | 'RETRACTED';

export interface ClaimEvent {
  kind: ClaimEventKind;
  statementId: number;
  /** Null when a whole statement is retracted. */
  figureId: number | null;
  incidentIds: number[];
  placeIds: number[];
  /** `official:<id>`, `organisation:<id>` or `unnamed:<description>`. */
  claimantKey: string;
  at: string;
}

export interface ClaimEventBus {
  publish(event: ClaimEvent): void;
  subscribe(): AsyncIterable<ClaimEvent>;
}

/** Events within this process only: enough for one gateway instance. */
export function inProcessEventBus(): ClaimEventBus {
  const pubSub = createPubSub<{ claims: [ClaimEvent] }>();
  return {
    publish: (event) => pubSub.publish('claims', event),
    subscribe: () => pubSub.subscribe('claims'),
  };
}
