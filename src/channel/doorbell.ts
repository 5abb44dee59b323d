/**
 * Wake-up doorbell: one per worker, rung by any thread that has something for that worker
 * (frames in one of its incoming rings, space freed or a sequence acked in one of its outgoing
 * rings). The owning worker listens with `Atomics.waitAsync` and, on each wake, calls every
 * subscriber, which polls its own rings. One wait per worker instead of one per ring.
 *
 * Memory layout (Int32 words, one SharedArrayBuffer of DOORBELL_BYTES):
 *
 *   offset  field     written by   meaning
 *   ------  --------  -----------  ---------------------------------------------------------
 *        0  rings     any thread   counter, `Atomics.add` by every ring(); the waitAsync word
 *       64  sleeping  listener     1 = the listener is (about to be) parked in waitAsync
 *
 * Batching: ring() always bumps the counter (cheap), but calls `Atomics.notify` only when the
 * listener is parked, so a busy listener costs its producers no notify. No wake-up is lost:
 * the listener loads the counter, polls its subscribers, sets `sleeping`, then waits for the
 * counter to differ from the loaded value; a producer publishes, bumps the counter, then loads
 * `sleeping`. All four steps are sequentially consistent, so either the listener's waitAsync
 * sees the new counter and returns at once, or the producer sees `sleeping = 1` and notifies.
 *
 * In Node 20 a pending waitAsync does not keep the event loop alive, so start() holds a timer
 * handle until stop(); a worker that only listens would otherwise exit.
 */
import { internal } from '../core/errors.js';

/** Two cache lines: the shared counter and the listener's flag do not share one. */
export const DOORBELL_BYTES = 128;
const W_RINGS = 0;
const W_SLEEPING = 16;
/** The keep-alive timer only holds the event loop open; it never needs to fire. */
const KEEP_ALIVE_MS = 60 * 60 * 1000;

/** Atomics.waitAsync as Node 20 implements it (ES2024; not in this project's ES2022 lib). */
type WaitAsyncResult = { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
type WaitAsync = (ta: Int32Array, index: number, value: number) => WaitAsyncResult;
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** Allocates a doorbell for one worker. */
export function createDoorbell(): SharedArrayBuffer {
  return new SharedArrayBuffer(DOORBELL_BYTES);
}

/** A view of a doorbell. Any thread may ring(); only the owning thread may start() and subscribe(). */
export class Doorbell {
  private readonly words: Int32Array;
  private readonly subscribers = new Set<() => void>();
  private keepAlive: ReturnType<typeof setInterval> | null = null;
  /** Bumped by stop(), so a wait started before it does not resume the loop after it. */
  private generation = 0;

  constructor(readonly sab: SharedArrayBuffer) {
    if (sab.byteLength !== DOORBELL_BYTES) throw internal('DOORBELL_LAYOUT', 'buffer is not a doorbell');
    this.words = new Int32Array(sab);
  }

  /** Wakes the listener (from any thread): counter bump, notify only if it is parked. */
  ring(): void {
    Atomics.add(this.words, W_RINGS, 1);
    if (Atomics.load(this.words, W_SLEEPING) !== 0) Atomics.notify(this.words, W_RINGS);
  }

  /** Registers `poll`, called on every wake; returns the unsubscribe function. */
  subscribe(poll: () => void): () => void {
    this.subscribers.add(poll);
    return () => { this.subscribers.delete(poll); };
  }

  get running(): boolean {
    return this.keepAlive !== null;
  }

  /** Starts listening and holds the event loop open until stop(); polls subscribers once now. */
  start(): void {
    if (this.keepAlive !== null) return;
    this.keepAlive = setInterval(() => undefined, KEEP_ALIVE_MS);
    this.listen(this.generation);
  }

  /** Stops listening and releases the event loop; a pending wait resolves and is ignored. */
  stop(): void {
    if (this.keepAlive === null) return;
    clearInterval(this.keepAlive);
    this.keepAlive = null;
    this.generation++;
    Atomics.store(this.words, W_SLEEPING, 0);
    Atomics.add(this.words, W_RINGS, 1);
    Atomics.notify(this.words, W_RINGS);
  }

  private listen(generation: number): void {
    if (generation !== this.generation) return;
    const seen = Atomics.load(this.words, W_RINGS);
    this.poll();
    if (generation !== this.generation) return;
    Atomics.store(this.words, W_SLEEPING, 1);
    const wait = waitAsync(this.words, W_RINGS, seen);
    if (wait.async) {
      void wait.value.then(() => this.wake(generation));
    } else {
      // Rung while polling: yield to the event loop first, so async work (I/O, promises) runs.
      Atomics.store(this.words, W_SLEEPING, 0);
      setImmediate(() => this.wake(generation));
    }
  }

  private wake(generation: number): void {
    if (generation !== this.generation) return;
    Atomics.store(this.words, W_SLEEPING, 0);
    this.listen(generation);
  }

  private poll(): void {
    for (const poll of this.subscribers) {
      try {
        poll();
      } catch (e) {
        // A failing subscriber is a bug in this worker: surface it as an uncaught error
        // (the worker dies and the coordinator stops the node) rather than wedge the loop.
        queueMicrotask(() => { throw e; });
      }
    }
  }
}
