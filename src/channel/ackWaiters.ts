/**
 * Producer-side waits for "acked ≥ seq" on one ring (DESIGN §7: a block is committed once every
 * destination has durably received its list). While anyone waits, the producer asks the consumer
 * to ring its doorbell at the next ack (Ring.requestAckWake); settle() runs on every wake.
 */
import { type ChainError, invalid } from '../core/errors.js';
import type { RingHeader } from './ringHeader.js';
import { seqAtLeast } from './seq.js';

interface Waiter {
  readonly seq: number;
  readonly resolve: () => void;
  readonly reject: (e: ChainError) => void;
}

export class AckWaiters {
  private waiters: Waiter[] = [];

  constructor(private readonly ring: RingHeader) {}

  /** Resolves once acked ≥ seq; rejects with XSHARD_SEQ_UNKNOWN for a seq never sent. */
  wait(seq: number): Promise<void> {
    if (seqAtLeast(this.ring.acked(), seq)) return Promise.resolve();
    if (!seqAtLeast(this.ring.sent(), seq)) {
      return Promise.reject(invalid('XSHARD_SEQ_UNKNOWN', `seq ${seq} was never sent (last ${this.ring.sent()})`));
    }
    const p = new Promise<void>((resolve, reject) => { this.waiters.push({ seq, resolve, reject }); });
    this.settle();
    return p;
  }

  /** Resolves the waits that are done; for the rest, asks the consumer for a wake-up. */
  settle(): void {
    if (this.waiters.length === 0) return;
    // Ask before loading acked: an ack written after the load then sees the request and rings.
    this.ring.requestAckWake();
    const acked = this.ring.acked();
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (seqAtLeast(acked, w.seq)) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  /** Rejects every wait with `err`. */
  rejectAll(err: ChainError): void {
    for (const w of this.waiters.splice(0)) w.reject(err);
  }
}
