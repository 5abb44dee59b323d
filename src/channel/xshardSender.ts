/**
 * Producer side of one xshard ring (source shard → one destination shard).
 *
 * send() assigns the next sequence number, fragments the message (fragment.ts) and writes it.
 * When the ring is full the sender asks the consumer for a space wake-up (Ring.requestSpaceWake)
 * and returns to the event loop; the consumer rings this worker's doorbell after it frees space,
 * and the doorbell subscription resumes writing. The thread never blocks and nothing is dropped.
 * Memory is bounded: at most `maxQueued` accepted messages (the first of them partly written);
 * further send() calls wait, in call order, until the queue has room.
 *
 * Acks: the destination stores each message durably, then writes its seq into the ring's acked
 * counter; while waitAcked() has waiters the sender asks (Ring.requestAckWake) to have this
 * worker's doorbell rung on the next ack. acked()/waitAcked() expose it (DESIGN §7).
 */
import { type ChainError, internal, invalid } from '../core/errors.js';
import type { Doorbell } from './doorbell.js';
import {
  DEFAULT_MAX_MESSAGE_BYTES, FRAGMENT_HEADER_BYTES, SOURCE_HASH_BYTES, type XshardList, writeFragmentHeader,
} from './fragment.js';
import { FRAME_PREFIX_BYTES, type Ring } from './ring.js';
import { nextSeq, seqAtLeast } from './seq.js';
import { AckWaiters } from './ackWaiters.js';

/** Default bound on accepted, not yet written messages per ring (a few blocks' lists). */
export const DEFAULT_MAX_QUEUED = 16;
/**
 * A fragment fills at most 1/4 of the ring, so the producer writes the next fragment while the
 * consumer reads the previous ones, instead of ping-ponging one ring-sized frame.
 */
const FRAGMENT_SHARE = 4;
/** Smallest ring the xshard layer accepts: a first fragment must carry the hash and some payload. */
export const MIN_XSHARD_RING_BYTES = 256;

export interface XshardSenderOptions {
  /** The ring to the destination (this thread is its only producer). */
  readonly ring: Ring;
  /** The destination worker's doorbell, rung after writing. */
  readonly peerBell: Doorbell;
  /** This worker's doorbell: space and ack wake-ups arrive on it. Its owner must start() it. */
  readonly ownBell: Doorbell;
  readonly maxQueued?: number;
  readonly maxMessageBytes?: number;
}

/** A send() waiting for a queue slot; it gets its seq when admitted. */
interface Pending {
  readonly list: XshardList;
  readonly total: number;
  readonly resolve: (seq: number) => void;
  readonly reject: (e: ChainError) => void;
}

interface Outgoing extends Pending {
  readonly seq: number;
  /** Body bytes written so far. */
  written: number;
}

export class XshardSender {
  private readonly ring: Ring;
  private readonly peerBell: Doorbell;
  private readonly maxQueued: number;
  private readonly maxMessageBytes: number;
  /** Largest body chunk per fragment. */
  private readonly chunkBytes: number;
  /** Scratch for a fragment header, followed by the source hash in a message's first fragment. */
  private readonly header = new Uint8Array(FRAGMENT_HEADER_BYTES + SOURCE_HASH_BYTES);
  private readonly headerOnly = this.header.subarray(0, FRAGMENT_HEADER_BYTES);
  private readonly queue: Outgoing[] = [];
  private readonly admission: Pending[] = [];
  private readonly acks: AckWaiters;
  private readonly unsubscribe: () => void;
  private closed = false;
  private ringPending = false;

  constructor(opts: XshardSenderOptions) {
    if (opts.ring.capacity < MIN_XSHARD_RING_BYTES) {
      throw invalid('XSHARD_RING_SIZE', `xshard rings need at least ${MIN_XSHARD_RING_BYTES} bytes`);
    }
    this.ring = opts.ring;
    this.acks = new AckWaiters(opts.ring);
    this.peerBell = opts.peerBell;
    this.maxQueued = opts.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.chunkBytes = (this.ring.capacity / FRAGMENT_SHARE) - FRAME_PREFIX_BYTES - FRAGMENT_HEADER_BYTES;
    this.unsubscribe = opts.ownBell.subscribe(() => this.poll());
  }

  /**
   * Queues `list` and resolves with its sequence number once it is entirely in the ring (not yet
   * acked: see waitAcked). Sequence numbers follow call order. While the queue is full the call
   * waits for a slot. The payload is read, not copied, until then: do not modify it meanwhile.
   * Rejects with XSHARD_SOURCE_HASH, XSHARD_TOO_LARGE or XSHARD_CLOSED.
   */
  send(list: XshardList): Promise<number> {
    if (list.sourceHash.length !== SOURCE_HASH_BYTES) {
      return Promise.reject(invalid('XSHARD_SOURCE_HASH', `source hash must be ${SOURCE_HASH_BYTES} bytes`));
    }
    const total = SOURCE_HASH_BYTES + list.payload.length;
    if (total > this.maxMessageBytes) {
      return Promise.reject(invalid('XSHARD_TOO_LARGE', `message of ${total} bytes exceeds ${this.maxMessageBytes}`));
    }
    if (this.closed) return Promise.reject(closedError());
    return new Promise<number>((resolve, reject) => {
      const pending: Pending = { list, total, resolve, reject };
      if (this.queue.length >= this.maxQueued || this.admission.length > 0) {
        this.admission.push(pending);
        return;
      }
      this.enqueue(pending);
      this.pump();
    });
  }

  /** Highest sequence number the destination has durably stored. */
  acked(): number {
    return this.ring.acked();
  }

  /** Last sequence number assigned on this ring. */
  lastSeq(): number {
    return this.ring.sent();
  }

  /** Resolves once the destination has durably stored message `seq` (acked ≥ seq). */
  waitAcked(seq: number): Promise<void> {
    if (this.closed && !seqAtLeast(this.ring.acked(), seq)) return Promise.reject(closedError());
    return this.acks.wait(seq);
  }

  /** Stops the sender: queued sends and ack waits reject with XSHARD_CLOSED. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe();
    for (const m of this.queue.splice(0)) m.reject(closedError());
    this.acks.rejectAll(closedError());
    for (const p of this.admission.splice(0)) p.reject(closedError());
  }

  /** Doorbell subscriber: resume writing, settle ack waiters. */
  private poll(): void {
    this.pump();
    this.acks.settle();
  }

  /** Writes as many fragments as fit; rings the destination once for the whole burst. */
  private pump(): void {
    let wrote = false;
    while (this.queue.length > 0) {
      const m = this.queue[0]!;
      if (!this.writeFragment(m)) {
        this.ring.requestSpaceWake(FRAGMENT_HEADER_BYTES + this.chunkFor(m));
        // Retry after asking: space freed before the request was seen would not ring us.
        if (!this.writeFragment(m)) break;
      }
      wrote = true;
      if (m.written === m.total) {
        this.queue.shift();
        m.resolve(m.seq);
        const next = this.admission.shift();
        if (next !== undefined) this.enqueue(next);
      }
    }
    if (wrote) this.ringPeer();
  }

  /** Rings the destination once per burst of synchronous sends (a microtask later), not per send. */
  private ringPeer(): void {
    if (this.ringPending) return;
    this.ringPending = true;
    // A bare promise reaction: Node's queueMicrotask allocates an AsyncResource per call.
    void Promise.resolve().then(() => {
      this.ringPending = false;
      this.peerBell.ring();
    });
  }

  private chunkFor(m: Outgoing): number {
    return Math.min(this.chunkBytes, m.total - m.written);
  }

  private writeFragment(m: Outgoing): boolean {
    const chunk = this.chunkFor(m);
    const first = m.written === 0;
    writeFragmentHeader(this.header, m.seq, m.total, m.written);
    let head = this.headerOnly;
    let payloadFrom = m.written - SOURCE_HASH_BYTES;
    if (first) {
      this.header.set(m.list.sourceHash, FRAGMENT_HEADER_BYTES);
      head = this.header;
      payloadFrom = 0;
    }
    const payloadBytes = first ? chunk - SOURCE_HASH_BYTES : chunk;
    const body = m.list.payload.subarray(payloadFrom, payloadFrom + payloadBytes);
    if (!this.ring.tryWriteParts(head, body)) return false;
    m.written += chunk;
    return true;
  }

  /** Gives an admitted message the next sequence number (call order) and queues it. */
  private enqueue(p: Pending): void {
    const seq = nextSeq(this.ring.sent());
    this.ring.setSent(seq);
    // A literal with every field (not a spread), so all queue entries share one fast shape.
    this.queue.push({ list: p.list, total: p.total, resolve: p.resolve, reject: p.reject, seq, written: 0 });
  }
}

function closedError(): ChainError {
  return internal('XSHARD_CLOSED', 'xshard sender is closed');
}
