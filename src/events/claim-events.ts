// The live feed: what happened to claims, published after each write commits. One gateway
// instance delivers in-process; several share the feed through Redis (see redis-event-bus.ts).
import { Subscribers } from './fan-out.js';
import { redisEventBus } from './redis-event-bus.js';

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
  /** ISO 8601: when the write committed. */
  at: string;
}

export interface ClaimEventBus {
  /** Delivers to this instance's subscribers at once and, with Redis, to every other instance. Never throws. */
  publish(event: ClaimEvent): void;
  /**
   * Every event published from now on (the subscription is registered before this returns), in
   * publish order, until the consumer stops (`return()`) or the bus closes (the stream completes).
   */
  subscribe(): AsyncIterableIterator<ClaimEvent>;
  /** How many subscriptions are open on this instance. */
  readonly subscriptions: number;
  /** Ends every open subscription and releases connections. */
  close(): Promise<void>;
}

/** Events within this process only: enough for one gateway instance. */
export function inProcessEventBus(): ClaimEventBus {
  const subscribers = new Subscribers();
  return {
    publish: (event) => subscribers.deliver(event),
    subscribe: () => subscribers.open(),
    get subscriptions() {
      return subscribers.size;
    },
    close: async () => subscribers.endAll(),
  };
}

/** The bus the configuration asks for: Redis pub/sub when `redisUrl` is set, else in-process. */
export function createEventBus(config: { redisUrl: string | null }): ClaimEventBus {
  return config.redisUrl ? redisEventBus(config.redisUrl) : inProcessEventBus();
}
