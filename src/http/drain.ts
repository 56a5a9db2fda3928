// Stopping an HTTP server without resetting a connection it accepted: a client must always
// learn whether its request (a write above all) was served. On stop:
// 1. requests already received are served (their responses say `Connection: close`); every
//    request received after that is refused at once with 503 SHUTTING_DOWN and `Connection:
//    close`, so the client knows nothing was done and retries elsewhere (`/ready` is refused
//    too, so a load balancer stops sending);
// 2. the listener stays open until no client has connected or sent anything for QUIET_MS:
//    closing a listener resets the connections the kernel has queued for it, and while PGlite
//    keeps the event loop busy (it runs queries on the main thread) that queue fills up;
// 3. then the listener closes, idle keep-alive connections are closed, and the server waits for
//    the last responses to be sent.
// Not http's server.close() at once: it also drops every connection with no request in
// progress, including those whose request is not read yet (test/drain.test.ts saw 31 resets).
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';

/** How long the listener stays open with nothing arriving before it closes. */
const QUIET_MS = 250;

const SHUTTING_DOWN = JSON.stringify({
  errors: [
    { message: 'The gateway is shutting down and did not run this request: send it again (to another instance)', extensions: { code: 'SHUTTING_DOWN' } },
  ],
});

export interface Drain {
  /**
   * Serves what was received, refuses the rest, closes the listener once quiet and then every
   * connection, all within `deadlineMs`. `beforeDraining` runs first (it completes the live
   * feed's streams, which would otherwise stay in progress).
   */
  stop(options: { deadlineMs: number; beforeDraining?: () => Promise<void> }): Promise<void>;
}

export function drainableServer(handler: RequestListener): { server: Server; drain: Drain } {
  let stopping = false;
  let lastArrival = Date.now();
  const inProgress = new Set<ServerResponse>();

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    lastArrival = Date.now();
    if (stopping) {
      request.resume();
      response.writeHead(503, {
        'content-type': 'application/json; charset=utf-8',
        connection: 'close',
        'retry-after': '1',
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
      });
      response.end(SHUTTING_DOWN);
      return;
    }
    inProgress.add(response);
    response.once('close', () => inProgress.delete(response));
    void handler(request, response);
  });
  server.on('connection', () => (lastArrival = Date.now()));

  const until = async (done: () => boolean, deadline: number) => {
    while (!done() && Date.now() < deadline) await new Promise((wait) => setTimeout(wait, 20));
  };

  return {
    server,
    drain: {
      async stop({ deadlineMs, beforeDraining }) {
        const deadline = Date.now() + deadlineMs;
        stopping = true;
        // The responses still to come close their connections when they are sent.
        for (const response of inProgress) if (!response.headersSent) response.setHeader('connection', 'close');
        await beforeDraining?.();
        await until(() => inProgress.size === 0, deadline);
        await until(() => Date.now() - lastArrival >= QUIET_MS, deadline);
        const closed = new Promise((done) => server.close(done)); // and closes idle connections
        await until(() => inProgress.size === 0, deadline);
        server.closeAllConnections();
        await closed;
      },
    },
  };
}
