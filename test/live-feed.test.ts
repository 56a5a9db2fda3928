// The live feed over HTTP: a journalist (or a partner's app) subscribes to `claimEvents` with
// server-sent events and sees figures claimed, revised and retracted as they are written,
// filtered to the incidents, places and claimants followed. With Redis, every gateway instance
// sees what any instance wrote.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/auth/keys.js';
import { loadConfig } from '../src/config.js';
import type { Database } from '../src/db/database.js';
import { inProcessEventBus, type ClaimEventBus } from '../src/events/claim-events.js';
import { redisEventBus } from '../src/events/redis-event-bus.js';
import { createGateway } from '../src/http/gateway.js';
import { openTestDatabase, startGateway, type TestGateway } from './support/gateway.js';

const gid = (type: string, id: number) => Buffer.from(`${type}:${id}`).toString('base64');

/** POSTs a GraphQL operation to a gateway, with an API key when given. */
async function post(url: string, query: string, variables: Record<string, unknown> = {}, key?: string) {
  const response = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] };
}

interface Subscription {
  /** The next `next` message of the stream (its whole payload: data and/or errors). */
  next(timeoutMs?: number): Promise<{ data?: any; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  /** Resolves when the server completes the stream (`event: complete`). */
  completed(timeoutMs?: number): Promise<void>;
  close(): void;
}

/** Opens a GraphQL-over-SSE subscription (`Accept: text/event-stream`, POST or GET) and parses the stream. */
async function subscribe(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  key?: string,
  method: 'POST' | 'GET' = 'POST',
): Promise<Subscription> {
  const abort = new AbortController();
  const headers = { accept: 'text/event-stream', ...(key ? { authorization: `Bearer ${key}` } : {}) };
  const response =
    method === 'GET'
      ? // As EventSource and GraphiQL send it: no header beyond `accept` (a GET needs no CSRF header).
        await fetch(`${url}/graphql?${new URLSearchParams({ query, variables: JSON.stringify(variables) })}`, {
          headers,
          signal: abort.signal,
        })
      : await fetch(`${url}/graphql`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ query, variables }),
          signal: abort.signal,
        });
  expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let pending: Promise<ReadableStreamReadResult<string>> | null = null;

  /** The next SSE message (`event` and `data`), skipping keep-alive comments. */
  async function message(timeoutMs: number): Promise<{ event: string; data: string }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n').filter((line) => !line.startsWith(':'));
        if (lines.length === 0) continue;
        const field = (name: string) =>
          lines
            .filter((line) => line.startsWith(`${name}:`))
            .map((line) => line.slice(name.length + 1).replace(/^ /, ''))
            .join('\n');
        return { event: field('event') || 'message', data: field('data') };
      }
      pending ??= reader.read();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()))));
      const read = await Promise.race([pending, timeout]);
      clearTimeout(timer);
      if (read === 'timeout') throw new Error(`No server-sent event within ${timeoutMs} ms`);
      pending = null;
      if (read.done) throw new Error('The event stream ended');
      buffer += read.value;
    }
  }

  return {
    async next(timeoutMs = 10_000) {
      const { event, data } = await message(timeoutMs);
      expect(event).toBe('next');
      return JSON.parse(data);
    },
    async completed(timeoutMs = 10_000) {
      const { event } = await message(timeoutMs);
      expect(event).toBe('complete');
    },
    close: () => abort.abort(),
  };
}

/** A second HTTP server (gateway instance) over an open database, with the given event bus. */
async function serve(db: Database, events: ClaimEventBus) {
  const server = createServer(createGateway(db, { ...loadConfig({}), reportSqlStatements: true }, { events }));
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
    },
  };
}

const EVENTS = `subscription($filter: ClaimEventFilter) {
  claimEvents(filter: $filter) {
    kind at
    statement { id text }
    figure { id quantity { kind low high phrase } supersedes { id } retractedAt }
  }
}`;

const RECORD = `mutation($input: RecordStatementInput!) {
  recordStatement(input: $input) {
    __typename
    ... on RecordPayload { statement { id } figures { id version } }
    ... on WriteError { message }
  }
}`;

/** Test-only places, incidents and claimants, so that every filter has a clear inside and outside. */
interface Fixtures {
  province: number;
  city: number;
  elsewhere: number;
  attack: number;
  subAttack: number;
  otherIncident: number;
  organisation: number;
  otherOrganisation: number;
  official: number;
}

async function createFixtures(db: Database): Promise<Fixtures> {
  const { prisma } = db;
  const province = await prisma.place.create({ data: { name: 'Live-feed province', kind: 'PROVINCE' } });
  const city = await prisma.place.create({ data: { name: 'Live-feed city', kind: 'CITY', parentId: province.id } });
  const elsewhere = await prisma.place.create({ data: { name: 'Live-feed elsewhere', kind: 'PROVINCE' } });
  const attack = await prisma.incident.create({
    data: { title: 'Live-feed attacks', kind: 'COORDINATED_ATTACK', places: { create: [{ placeId: province.id }] } },
  });
  const subAttack = await prisma.incident.create({
    data: { title: 'Live-feed attack in the city', kind: 'ARMED_ATTACK', parentId: attack.id, places: { create: [{ placeId: city.id }] } },
  });
  const otherIncident = await prisma.incident.create({
    data: { title: 'Live-feed unrelated raid', kind: 'SECURITY_OPERATION', places: { create: [{ placeId: elsewhere.id }] } },
  });
  const organisation = await prisma.organisation.create({ data: { name: 'Live-feed armed group', kind: 'ARMED_GROUP' } });
  const otherOrganisation = await prisma.organisation.create({ data: { name: 'Live-feed ministry', kind: 'GOVERNMENT_BODY' } });
  const official = await prisma.official.create({ data: { name: 'Live-feed spokesperson' } });
  return {
    province: province.id,
    city: city.id,
    elsewhere: elsewhere.id,
    attack: attack.id,
    subAttack: subAttack.id,
    otherIncident: otherIncident.id,
    organisation: organisation.id,
    otherOrganisation: otherOrganisation.id,
    official: official.id,
  };
}

/** A statement input with one KILLED figure per quantity; claimant and where given by `options`. */
function statement(text: string, options: { incident?: number; place?: number | null; organisation?: number; official?: number; figures?: number[] } = {}) {
  const claimant = options.official
    ? { kind: 'OFFICIAL', official: gid('Official', options.official), description: 'a spokesperson' }
    : options.organisation
      ? { kind: 'ORGANISATION', organisation: gid('Organisation', options.organisation), description: 'the group' }
      : { kind: 'UNNAMED_GROUP', description: 'security officials' };
  return {
    kind: 'CASUALTY_REPORT',
    text,
    claimant,
    incidents: options.incident ? [gid('Incident', options.incident)] : [],
    figures: (options.figures ?? [1]).map((n) => ({
      metric: 'KILLED',
      victimCategory: 'PEOPLE',
      side: 'CIVILIAN',
      victimDescription: 'people',
      ...(options.place ? { place: gid('Place', options.place) } : {}),
      quantity: { kind: 'EXACT', low: n, high: n, phrase: String(n) },
    })),
  };
}

let gateway: TestGateway;
let fixtures: Fixtures;
let writeKey: string;

async function record(url: string, input: ReturnType<typeof statement>, key = writeKey) {
  const response = await post(url, RECORD, { input }, key);
  expect(response.errors).toBeUndefined();
  expect(response.data.recordStatement.__typename).toBe('RecordPayload');
  return response.data.recordStatement as { statement: { id: string }; figures: { id: string; version: number }[] };
}

beforeAll(async () => {
  gateway = await startGateway();
  fixtures = await createFixtures(gateway.db);
  writeKey = (await createApiKey(gateway.db.prisma, 'live feed test writer', ['WRITE'])).secret;
});
afterAll(() => gateway?.close());

describe('claimEvents: the live feed over server-sent events', () => {
  it('delivers CLAIMED, REVISED and RETRACTED in the order written, with the statement and figure', async () => {
    const feed = await subscribe(gateway.url, EVENTS);
    try {
      const recorded = await record(gateway.url, statement('Officials said 4 and 7 people were killed.', { incident: fixtures.subAttack, figures: [4, 7] }));
      const [first, second] = recorded.figures;

      const revised = await post(
        gateway.url,
        `mutation($input: ReviseFigureInput!) { reviseFigure(input: $input) {
          __typename ... on RecordPayload { statement { id } figures { id } } ... on WriteError { message } } }`,
        {
          input: {
            figure: first.id,
            expectedVersion: first.version,
            text: 'Officials later said 9 people were killed.',
            quantity: { kind: 'EXACT', low: 9, high: 9, phrase: 'nine' },
          },
        },
        writeKey,
      );
      expect(revised.data.reviseFigure.__typename).toBe('RecordPayload');
      const retracted = await post(
        gateway.url,
        `mutation($figure: ID!) { retractFigure(figure: $figure, reason: "Counted twice") { __typename ... on WriteError { message } } }`,
        { figure: second.id },
        writeKey,
      );
      expect(retracted.data.retractFigure.__typename).toBe('RecordPayload');

      const events = [await feed.next(), await feed.next(), await feed.next(), await feed.next()].map((message) => {
        expect(message.errors).toBeUndefined();
        return message.data.claimEvents;
      });
      expect(events.map((event) => event.kind)).toEqual(['CLAIMED', 'CLAIMED', 'REVISED', 'RETRACTED']);
      expect(events[0]).toMatchObject({ statement: { id: recorded.statement.id }, figure: { id: first.id, quantity: { kind: 'EXACT', low: 4, phrase: '4' } } });
      expect(events[1]).toMatchObject({ statement: { id: recorded.statement.id }, figure: { id: second.id, quantity: { low: 7 } } });
      // A revision is a new statement and a new figure that supersedes the old one.
      expect(events[2]).toMatchObject({
        statement: { id: revised.data.reviseFigure.statement.id, text: 'Officials later said 9 people were killed.' },
        figure: { id: revised.data.reviseFigure.figures[0].id, quantity: { low: 9, phrase: 'nine' }, supersedes: { id: first.id } },
      });
      expect(events[3]).toMatchObject({ statement: { id: recorded.statement.id }, figure: { id: second.id, retractedAt: expect.any(String) } });
      for (const event of events) expect(new Date(event.at).toISOString()).toBe(event.at);
      expect(events.map((event) => event.at)).toEqual([...events.map((event) => event.at)].sort());
    } finally {
      feed.close();
    }
  });

  it('a whole-statement retraction has no figure', async () => {
    const feed = await subscribe(gateway.url, EVENTS, { filter: { kinds: ['RETRACTED'] } });
    try {
      const recorded = await record(gateway.url, statement('A claim to be withdrawn.', { figures: [2] }));
      await post(
        gateway.url,
        `mutation($id: ID!) { retractStatement(statement: $id, reason: "Withdrawn") { __typename } }`,
        { id: recorded.statement.id },
        writeKey,
      );
      const { data } = await feed.next();
      expect(data.claimEvents).toMatchObject({ kind: 'RETRACTED', statement: { id: recorded.statement.id }, figure: null });
    } finally {
      feed.close();
    }
  });

  it('an incident includes its sub-incidents; other incidents are not delivered', async () => {
    const feed = await subscribe(gateway.url, EVENTS, { filter: { incident: gid('Incident', fixtures.attack) } });
    try {
      await record(gateway.url, statement('Unrelated raid.', { incident: fixtures.otherIncident, figures: [31] }));
      await record(gateway.url, statement('In the city attack.', { incident: fixtures.subAttack, figures: [32] }));
      await record(gateway.url, statement('Across the attacks.', { incident: fixtures.attack, figures: [33] }));
      expect((await feed.next()).data.claimEvents.figure.quantity.low).toBe(32);
      expect((await feed.next()).data.claimEvents.figure.quantity.low).toBe(33);
    } finally {
      feed.close();
    }
  });

  it("a place includes the places inside it (and the places of a figure's incident); other places are not delivered", async () => {
    const feed = await subscribe(gateway.url, EVENTS, { filter: { place: gid('Place', fixtures.province) } });
    try {
      const elsewhere = await record(gateway.url, statement('Elsewhere.', { place: fixtures.elsewhere, figures: [41] }));
      const inCity = await record(gateway.url, statement('In the city.', { place: fixtures.city, figures: [42] }));
      // No place of its own: placed by its incident (the sub-attack, in the city).
      await record(gateway.url, statement('At the sub-attack.', { incident: fixtures.subAttack, figures: [43] }));
      await record(gateway.url, statement('No place, unrelated incident.', { incident: fixtures.otherIncident, figures: [44] }));
      // Retractions carry the figure's place too.
      for (const target of [elsewhere.figures[0].id, inCity.figures[0].id]) {
        await post(gateway.url, `mutation($f: ID!) { retractFigure(figure: $f, reason: "Wrong") { __typename } }`, { f: target }, writeKey);
      }
      expect((await feed.next()).data.claimEvents).toMatchObject({ kind: 'CLAIMED', figure: { quantity: { low: 42 } } });
      expect((await feed.next()).data.claimEvents).toMatchObject({ kind: 'CLAIMED', figure: { quantity: { low: 43 } } });
      expect((await feed.next()).data.claimEvents).toMatchObject({ kind: 'RETRACTED', figure: { id: inCity.figures[0].id } });
    } finally {
      feed.close();
    }
  });

  it('filters by claimant organisation, claimant official and kind', async () => {
    const byOrganisation = await subscribe(gateway.url, EVENTS, { filter: { claimantOrganisation: gid('Organisation', fixtures.organisation) } });
    const byOfficial = await subscribe(gateway.url, EVENTS, { filter: { claimantOfficial: gid('Official', fixtures.official), kinds: ['CLAIMED'] } });
    try {
      await record(gateway.url, statement('The ministry said.', { organisation: fixtures.otherOrganisation, figures: [51] }));
      await record(gateway.url, statement('Unnamed officials said.', { figures: [52] }));
      const fromOfficial = await record(gateway.url, statement('The spokesperson said.', { official: fixtures.official, figures: [53] }));
      await post(
        gateway.url,
        `mutation($f: ID!) { retractFigure(figure: $f, reason: "Misquoted") { __typename } }`,
        { f: fromOfficial.figures[0].id },
        writeKey,
      );
      await record(gateway.url, statement('The group said.', { organisation: fixtures.organisation, figures: [54] }));
      await record(gateway.url, statement('The spokesperson said again.', { official: fixtures.official, figures: [55] }));

      expect((await byOrganisation.next()).data.claimEvents.figure.quantity.low).toBe(54);
      expect((await byOfficial.next()).data.claimEvents).toMatchObject({ kind: 'CLAIMED', figure: { quantity: { low: 53 } } });
      // The retraction of 53 is not a CLAIMED event: next comes 55.
      expect((await byOfficial.next()).data.claimEvents).toMatchObject({ kind: 'CLAIMED', figure: { quantity: { low: 55 } } });
    } finally {
      byOrganisation.close();
      byOfficial.close();
    }
  });

  it('also subscribes with GET and query parameters', async () => {
    const feed = await subscribe(gateway.url, 'subscription { claimEvents { kind figure { quantity { low } } } }', {}, undefined, 'GET');
    try {
      await record(gateway.url, statement('Over GET.', { figures: [61] }));
      expect(await feed.next()).toEqual({ data: { claimEvents: { kind: 'CLAIMED', figure: { quantity: { low: 61 } } } } });
    } finally {
      feed.close();
    }
  });

  it('rejects a bad filter ID with an error in the stream', async () => {
    const feed = await subscribe(gateway.url, EVENTS, { filter: { incident: 'not-an-id' } });
    const message = await feed.next();
    expect(message.errors?.[0]).toMatchObject({
      message: expect.stringMatching(/^Argument filter\.incident: invalid global ID "not-an-id"/),
      extensions: { code: 'BAD_USER_INPUT', argument: 'filter.incident' },
    });
    await feed.completed();
    feed.close();
  });

  it('needs an API key with the READ scope when reads are not public', async () => {
    const { db, drop } = await openTestDatabase();
    const server = createServer(createGateway(db, { ...loadConfig({}), publicReads: false }));
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const anonymous = await subscribe(url, EVENTS);
      const refused = await anonymous.next();
      expect(refused.errors?.[0]).toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
      expect(refused.errors?.[0].message).toMatch(/READ scope/);
      anonymous.close();

      // A key with READ (or WRITE or ADMIN, which include it) may subscribe.
      const reader = (await createApiKey(db.prisma, 'reader', ['READ'])).secret;
      const allowed = await subscribe(url, EVENTS, {}, reader);
      const writer = (await createApiKey(db.prisma, 'writer', ['WRITE'])).secret;
      await record(url, statement('Seen by a reader.', { figures: [71] }), writer);
      expect((await allowed.next()).data.claimEvents.figure.quantity.low).toBe(71);
      allowed.close();
    } finally {
      server.closeAllConnections();
      await new Promise((closed) => server.close(closed));
      await db.close();
      await drop();
    }
  });

  it('ends the subscription when the client goes away, and completes open streams when the bus closes', async () => {
    const events = inProcessEventBus();
    const instance = await serve(gateway.db, events);
    try {
      const leaving = await subscribe(instance.url, EVENTS);
      const staying = await subscribe(instance.url, EVENTS);
      expect(events.subscriptions).toBe(2);
      leaving.close();
      await expect.poll(() => events.subscriptions).toBe(1);
      await events.close();
      await staying.completed();
      expect(events.subscriptions).toBe(0);
    } finally {
      await instance.close();
    }
  });
});

describe('the live feed when Redis is unreachable', () => {
  it('keeps serving: writes commit, subscribers of the same instance still get their events', async () => {
    const logged: string[] = [];
    const events = redisEventBus('redis://127.0.0.1:1', { channel: `test-${randomUUID()}`, log: (line) => logged.push(line) });
    const instance = await serve(gateway.db, events);
    try {
      const feed = await subscribe(instance.url, EVENTS);
      await record(instance.url, statement('Written while Redis is down.', { figures: [81] }));
      expect((await feed.next()).data.claimEvents.figure.quantity.low).toBe(81);
      await expect.poll(() => logged.join('\n')).toMatch(/unreachable/);
      expect((await post(instance.url, '{ __typename }')).data).toEqual({ __typename: 'Query' });
      feed.close();
    } finally {
      await instance.close();
      await events.close();
    }
  });
});

const redisUrl = process.env.TEST_REDIS_URL || 'redis://127.0.0.1:6379';
const redisUp = await (async () => {
  const probe = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 1000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
})();
if (!redisUp && process.env.CI === 'true') {
  throw new Error(`CI=true but Redis at ${redisUrl} is not reachable: the Redis live-feed test must run in CI (see .ci/run)`);
}
if (!redisUp) console.warn(`Skipping the Redis live-feed tests: no Redis at ${redisUrl} (start one, or set TEST_REDIS_URL)`);

describe.skipIf(!redisUp)(`the live feed shared through Redis (${redisUrl})`, () => {
  it('a write through instance A reaches subscribers of instance B, in order, and ends cleanly', async () => {
    // One database, two gateway instances, each with its own Redis connections; a channel of
    // this run's own, so parallel runs sharing the Redis server never cross.
    const channel = `test-${randomUUID()}:claim-events`;
    const busA = redisEventBus(redisUrl, { channel });
    const busB = redisEventBus(redisUrl, { channel });
    const stranger = redisEventBus(redisUrl, { channel: `test-${randomUUID()}:claim-events` });
    await Promise.all([busA.ready, busB.ready, stranger.ready]);
    const a = await serve(gateway.db, busA);
    const b = await serve(gateway.db, busB);
    const c = await serve(gateway.db, stranger);
    try {
      const onB = await subscribe(b.url, EVENTS, { filter: { incident: gid('Incident', fixtures.attack) } });
      const onA = await subscribe(a.url, EVENTS);
      const onOtherChannel = await subscribe(c.url, EVENTS);

      const recorded = await record(a.url, statement('Through instance A.', { incident: fixtures.subAttack, figures: [91, 92] }));
      await record(a.url, statement("Not for B's filter.", { incident: fixtures.otherIncident, figures: [93] }));
      await post(a.url, `mutation($f: ID!) { retractFigure(figure: $f, reason: "Double count") { __typename } }`, { f: recorded.figures[1].id }, writeKey);

      const receivedOnB = [await onB.next(), await onB.next(), await onB.next()].map((message) => message.data.claimEvents);
      expect(receivedOnB.map((event) => [event.kind, event.figure.id])).toEqual([
        ['CLAIMED', recorded.figures[0].id],
        ['CLAIMED', recorded.figures[1].id],
        ['RETRACTED', recorded.figures[1].id],
      ]);
      // Instance A's own subscribers get each event once (locally, not again through Redis).
      const receivedOnA = [];
      for (let n = 0; n < 4; n++) receivedOnA.push((await onA.next()).data.claimEvents.figure.quantity.low);
      expect(receivedOnA).toEqual([91, 92, 93, 92]);
      await expect(onA.next(500)).rejects.toThrow(/No server-sent event/);
      // Another channel (another run, another deployment) hears nothing.
      await expect(onOtherChannel.next(500)).rejects.toThrow(/No server-sent event/);

      onB.close();
      await expect.poll(() => busB.subscriptions).toBe(0);
      onA.close();
      onOtherChannel.close();
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
      await Promise.all([busA.close(), busB.close(), stranger.close()]);
    }
  });
});
