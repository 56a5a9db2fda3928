// Stopping an HTTP server without dropping requests. Not http's server.close(): it also drops
// every connection with no request in progress, including those whose request is not read yet
// because PGlite keeps the event loop busy (test/faults.test.ts saw 46 of 50 in-flight requests
// reset that way).
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

export interface Drain {
  /** Stops accepting, then waits for requests in progress and for their connections to close. */
  stop(beforeDraining?: () => Promise<void>): Promise<void>;
}

export function drainable(server: Server): Drain {
  let stopping = false;
  let lastConnection = 0;
  server.on('connection', () => (lastConnection = Date.now()));
  server.prependListener('request', (_request, response) => {
    if (stopping) response.setHeader('connection', 'close');
  });

  /**
   * Waits until every connection has closed: each response during shutdown says
   * `connection: close`, and a connection that sends nothing more times out after half a second.
   * Closing connections "idle" by Node's measure instead would also drop those whose request is
   * sent but not yet read while PGlite keeps the loop busy.
   */
  async function drainConnections() {
    server.keepAliveTimeout = 500;
    for (;;) {
      const open = await new Promise<number>((count) => server.getConnections((_error, n) => count(n)));
      if (open === 0) return;
      await new Promise((wait) => setTimeout(wait, 50));
    }
  }

  return {
    async stop(beforeDraining) {
      stopping = true;
      // Connections the kernel has queued but Node has not accepted yet (PGlite kept the loop
      // busy) would be reset when the listener closes: keep accepting until none has arrived
      // for 100 ms (at most 2 s), then close.
      const deadline = Date.now() + 2_000;
      do await new Promise((wait) => setTimeout(wait, 100));
      while (Date.now() - lastConnection < 100 && Date.now() < deadline);
      const closed = new Promise((done) => server.once('close', done));
      NetServer.prototype.close.call(server);
      await beforeDraining?.();
      await drainConnections();
      await closed;
    },
  };
}
