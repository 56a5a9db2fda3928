// The live feed shared by several gateway instances through Redis pub/sub. Each instance
// delivers its own events to its own subscribers at once, publishes them on one Redis channel,
// and delivers what the other instances publish there. Redis being down never stops the
// gateway: writes still commit, local subscribers still get their events, other instances miss
// them until Redis is back (clients catch up from `changes`), and both connections reconnect.
import { randomUUID } from 'node:crypto';
import { connectRedis } from '../redis.js';
import type { ClaimEvent, ClaimEventBus } from './claim-events.js';
import { Subscribers } from './fan-out.js';

export interface RedisEventBusOptions {
  /** The pub/sub channel; instances sharing a feed use the same one. */
  channel?: string;
  /** Where connection trouble is reported (default: console.warn). */
  log?: (message: string) => void;
}

export interface RedisEventBus extends ClaimEventBus {
  /** Resolves once this instance listens on the channel (the first time). */
  readonly ready: Promise<void>;
}

export const DEFAULT_CHANNEL = 'conflict-claims:claim-events';
const KINDS = new Set(['CLAIMED', 'REVISED', 'RETRACTED']);

/** True when a message read from Redis has the shape of a ClaimEvent. */
function isClaimEvent(value: unknown): value is ClaimEvent {
  const event = value as ClaimEvent;
  const ids = (list: unknown) => Array.isArray(list) && list.every((id) => Number.isSafeInteger(id));
  return (
    typeof value === 'object' &&
    value !== null &&
    KINDS.has(event.kind) &&
    Number.isSafeInteger(event.statementId) &&
    (event.figureId === null || Number.isSafeInteger(event.figureId)) &&
    ids(event.incidentIds) &&
    ids(event.placeIds) &&
    typeof event.claimantKey === 'string' &&
    typeof event.at === 'string'
  );
}

/** Redacts the password from a Redis URL for log lines. */
function displayUrl(url: string): string {
  return url.replace(/\/\/([^@/]*)@/, '//***@');
}

export function redisEventBus(url: string, options: RedisEventBusOptions = {}): RedisEventBus {
  const channel = options.channel ?? DEFAULT_CHANNEL;
  const log = options.log ?? ((message: string) => console.warn(message));
  const origin = randomUUID();
  const subscribers = new Subscribers();
  let closing = false;

  // Publishes wait for a reconnect a little (a blip delivers late), then fail and are logged.
  const publisher = connectRedis(url, { maxRetriesPerRequest: 2, connectionName: 'claim-events-publish' });
  // The subscriber re-subscribes itself on every (re)connection.
  const subscriber = connectRedis(url, { autoResubscribe: false, maxRetriesPerRequest: null, connectionName: 'claim-events-subscribe' });

  // One line per outage and one per recovery, not one per reconnection attempt.
  for (const [role, client] of [
    ['publish', publisher],
    ['subscribe', subscriber],
  ] as const) {
    let down = false;
    client.on('error', (error: Error) => {
      if (down || closing) return;
      down = true;
      log(
        `Live feed: Redis ${displayUrl(url)} unreachable (${role} connection: ${error.message}); events reach only this instance's subscribers until it is back`,
      );
    });
    client.on('ready', () => {
      if (down) log(`Live feed: Redis ${displayUrl(url)} reachable again (${role} connection)`);
      down = false;
    });
  }

  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  subscriber.on('ready', () => {
    subscriber.subscribe(channel).then(markReady, (error: Error) => {
      if (!closing) log(`Live feed: could not subscribe to Redis channel ${channel}: ${error.message}`);
    });
  });
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    let parsed: { origin?: unknown; event?: unknown };
    try {
      parsed = JSON.parse(message);
    } catch {
      log(`Live feed: ignored a message on ${channel} that is not JSON`);
      return;
    }
    if (parsed.origin === origin) return; // delivered locally when published
    if (!isClaimEvent(parsed.event)) {
      log(`Live feed: ignored a message on ${channel} that is not a claim event`);
      return;
    }
    subscribers.deliver(parsed.event);
  });

  return {
    ready,
    publish(event) {
      subscribers.deliver(event);
      if (closing) return;
      publisher.publish(channel, JSON.stringify({ origin, event })).catch((error: Error) => {
        if (!closing) log(`Live feed: a ${event.kind} event for statement ${event.statementId} did not reach other instances: ${error.message}`);
      });
    },
    subscribe: () => subscribers.open(),
    get subscriptions() {
      return subscribers.size;
    },
    async close() {
      closing = true;
      subscribers.endAll();
      await Promise.all(
        [publisher, subscriber].map(async (client) => {
          try {
            if (client.status === 'ready') await client.quit();
            else client.disconnect();
          } catch {
            client.disconnect();
          }
        }),
      );
    },
  };
}
