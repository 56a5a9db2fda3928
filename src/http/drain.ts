// Stopping an HTTP server without dropping requests. Not http's server.close(): it also drops
// every connection with no request in progress, including those whose request is not read yet
// because PGlite keeps the event loop busy (test/faults.test.ts saw 46 of 50 in-flight requests
// reset that way).
import type { Server } from 'node:http';
import { Server as NetServer } from 'node:net';

export interface Drain {
  /** Stops accepting, waits for requests in progress, then closes what is left idle. */
  stop(beforeDraining?: () => Promise<void>): Promise<void>;
}

export function drainable(server: Server): Drain {
  let stopping = false;
  let active = 0;
  let lastDone = Date.now();
  server.prependListener('request', (_request, response) => {
    active++;
    if (stopping) response.setHeader('connection', 'close');
    response.once('close', () => {
      active--;
      lastDone = Date.now();
    });
  });

  /** Waits until no request is in progress; connections idle for a second are then closed. */
  async function drainConnections() {
    for (;;) {
      const open = await new Promise<number>((count) => server.getConnections((_error, n) => count(n)));
      if (open === 0) return;
      if (active === 0 && Date.now() - lastDone > 1_000) return void server.closeAllConnections();
      await new Promise((wait) => setTimeout(wait, 50));
    }
  }

  return {
    async stop(beforeDraining) {
      stopping = true;
      // Connections made but not yet accepted (the loop was busy) would be reset when the
      // listener closes: let the poll phase accept them first.
      for (let turn = 0; turn < 2; turn++) await new Promise((next) => setImmediate(next));
      const closed = new Promise((done) => server.once('close', done));
      NetServer.prototype.close.call(server);
      await beforeDraining?.();
      await drainConnections();
      await closed;
    },
  };
}
