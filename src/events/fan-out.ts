// Delivery to the subscriptions open on this gateway instance: one queue per subscription,
// registered as soon as `open()` is called (so nothing published afterwards is missed), ended
// when the subscriber stops reading or the bus closes.
import type { ClaimEvent } from './claim-events.js';

/** A subscriber that falls this far behind is ended (it can catch up from `changes`). */
const MAX_BACKLOG = 1000;

interface Queue {
  push(event: ClaimEvent): void;
  end(): void;
}

export class Subscribers {
  private readonly queues = new Set<Queue>();
  private closed = false;

  get size(): number {
    return this.queues.size;
  }

  deliver(event: ClaimEvent): void {
    for (const queue of this.queues) queue.push(event);
  }

  open(): AsyncIterableIterator<ClaimEvent> {
    const backlog: ClaimEvent[] = [];
    let waiting: ((result: IteratorResult<ClaimEvent>) => void) | null = null;
    let done = this.closed;
    const finish = (): IteratorResult<ClaimEvent> => {
      done = true;
      backlog.length = 0;
      this.queues.delete(queue);
      if (waiting) {
        const wake = waiting;
        waiting = null;
        wake({ done: true, value: undefined });
      }
      return { done: true, value: undefined };
    };
    const queue: Queue = {
      push(event) {
        if (done) return;
        if (waiting) {
          const wake = waiting;
          waiting = null;
          wake({ done: false, value: event });
        } else if (backlog.length >= MAX_BACKLOG) {
          finish();
        } else {
          backlog.push(event);
        }
      },
      end: () => void finish(),
    };
    if (!done) this.queues.add(queue);
    const iterator: AsyncIterableIterator<ClaimEvent> = {
      next() {
        if (backlog.length > 0) return Promise.resolve({ done: false, value: backlog.shift()! });
        if (done) return Promise.resolve({ done: true, value: undefined });
        return new Promise((resolve) => (waiting = resolve));
      },
      return: () => Promise.resolve(finish()),
      throw: (error?: unknown) => {
        finish();
        return Promise.reject(error);
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** Ends every open subscription: their streams complete. */
  endAll(): void {
    this.closed = true;
    for (const queue of [...this.queues]) queue.end();
  }
}
