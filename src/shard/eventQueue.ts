/**
 * The committed-block events the coordinator long-polls (`events(after, waitMs)`). Bounded: at
 * most `max` events are kept (a few seconds of every block of a busy shard, ~1 MB of headers);
 * when full, the oldest quarter is compacted at once (amortised O(1) per event). Nothing is lost
 * silently: a poller whose `after` lies before the oldest kept event gets `gap: true`, with one
 * event per committed canonical header since the confirmed tip first (`recover`, the same list
 * `committedHeaders` gives), then every kept event; headers below the confirmed tip are in a
 * root block already. `addCommittedHeader` on the coordinator side is idempotent.
 */
import { keyOf } from '../core/bytes.js';
import type { BlockEvent, EventsReply } from './protocol.js';

/** Events kept: a poller this far behind has stalled; beyond it, the gap reply repairs. */
export const MAX_EVENTS = 4096;
/** Share of the queue dropped at once when full, so a push does not move the whole array. */
const COMPACT_DIVISOR = 4;

export class EventQueue {
  private readonly queue: BlockEvent[] = [];
  /** Sequence number of `queue[0]` (sequence numbers start at 1). */
  private first = 1;
  private seq = 0;
  private waiters: (() => void)[] = [];
  private closed = false;

  /** `recover`: events for the committed canonical blocks since the confirmed tip, oldest first. */
  constructor(private readonly recover: () => BlockEvent[], private readonly max = MAX_EVENTS) {}

  /** Sequence number of the newest event. */
  get last(): number {
    return this.seq;
  }

  push(ev: BlockEvent): void {
    this.seq++;
    this.queue.push(ev);
    if (this.queue.length > this.max) {
      const drop = Math.max(1, Math.floor(this.max / COMPACT_DIVISOR));
      this.queue.splice(0, drop);
      this.first += drop;
    }
    this.wake();
  }

  /** Ends the current long polls now (something besides events is ready for the poller). */
  nudge(): void {
    this.wake();
  }

  /** Long poll: the events after `after`, waiting up to `waitMs` for one (or for `ready()`) when there are none. */
  async poll(after: number, waitMs: number, ready: () => boolean = () => false): Promise<EventsReply> {
    if (this.seq > after || this.closed || ready()) return this.pick(after);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, waitMs);
      this.waiters.push(() => { clearTimeout(t); resolve(); });
    });
    return this.pick(after);
  }

  /** Ends every long poll now (shutdown); later polls return at once. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private pick(after: number): EventsReply {
    const next = Math.max(after, this.seq);
    if (after >= this.first - 1) return { next, events: this.queue.slice(Math.max(after - this.first + 1, 0)) };
    // Events this poller never read were compacted: the committed headers first, then what is kept.
    const kept = new Set(this.queue.map((e) => keyOf(e.header)));
    const recovered = this.recover().filter((e) => !kept.has(keyOf(e.header)));
    return { next, events: [...recovered, ...this.queue], gap: true };
  }
}
