/**
 * A read-only look at a ring from a third thread (the coordinator, for metrics and the
 * dashboard): bytes waiting between the producer's head and the consumer's tail, and xshard
 * lists sent but not yet acked. It only loads header words, so it never disturbs either end.
 */
import { RingHeader, W_HEAD, W_TAIL } from './ringHeader.js';
import { u32Distance } from './seq.js';

export interface RingUsage {
  /** Bytes written and not yet consumed (frame prefixes and padding included). */
  readonly usedBytes: number;
  readonly capacityBytes: number;
  /** Sequence numbers sent but not yet acked by the destination. */
  readonly unacked: number;
}

export class RingProbe extends RingHeader {
  usage(): RingUsage {
    const head = Atomics.load(this.ctl, W_HEAD);
    const tail = Atomics.load(this.ctl, W_TAIL);
    return { usedBytes: u32Distance(head, tail), capacityBytes: this.capacity, unacked: u32Distance(this.sent(), this.acked()) };
  }
}
