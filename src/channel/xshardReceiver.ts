/**
 * Consumer side of every xshard ring into one destination worker (one ring per source shard).
 *
 * On each doorbell wake it reads every ring, reassembles messages (fragment.ts) and hands each to
 * `onMessage(sourceIndex, msg)`, which stores the list durably. Only after that promise resolves
 * does it write `msg.seq` into the ring's acked counter (ringing the source worker's doorbell if it
 * asked for ack wake-ups), so "acked ≥ seq" means "durably received" (DESIGN §7). Reading frees
 * ring space as fragments are consumed; a producer blocked on a full ring is rung once enough is
 * free (Ring.takeSpaceRequest).
 *
 * Per ring, messages are delivered one at a time in sequence order, and the ring is not read
 * while its message is being stored: memory stays bounded (one message per source) and a slow
 * store backs up into the ring, i.e. onto the producer. Different sources are stored concurrently.
 *
 * Duplicates: rings live in memory and sequence numbers restart at 1 with every process, so
 * after a crash a source re-sends its uncommitted lists as new messages. The application layer
 * dedupes by `sourceHash` (storing a list it already holds is a no-op); this layer does not.
 *
 * If onMessage rejects or a ring is corrupt, that ring is halted (nothing more is read or acked
 * from it) and `onError` is called; without onError the error is thrown asynchronously, which
 * kills the worker so the coordinator stops the node.
 */
import { ChainError } from '../core/errors.js';
import type { Doorbell } from './doorbell.js';
import { DEFAULT_MAX_MESSAGE_BYTES, Reassembler, type XshardMessage } from './fragment.js';
import type { Ring } from './ring.js';

/** One incoming ring. */
export interface XshardSource {
  /** The source shard's index, passed to onMessage. */
  readonly sourceIndex: number;
  /** The ring from that source (this thread is its only consumer). */
  readonly ring: Ring;
  /** The source worker's doorbell, rung after freeing space or acking. */
  readonly peerBell: Doorbell;
}

export interface XshardReceiverOptions {
  /** This worker's doorbell; its owner must start() it. */
  readonly ownBell: Doorbell;
  readonly sources: readonly XshardSource[];
  /** Stores the list durably; resolve only once it is stored. */
  readonly onMessage: (sourceIndex: number, msg: XshardMessage) => Promise<void>;
  readonly onError?: (sourceIndex: number, err: ChainError) => void;
  readonly maxMessageBytes?: number;
}

interface SourceState {
  readonly source: XshardSource;
  readonly assembler: Reassembler;
  /** A message of this source is in onMessage. */
  busy: boolean;
  halted: boolean;
}

export class XshardReceiver {
  private readonly states: SourceState[];
  private readonly onMessage: XshardReceiverOptions['onMessage'];
  private readonly onError: XshardReceiverOptions['onError'];
  private readonly unsubscribe: () => void;
  private closed = false;

  constructor(opts: XshardReceiverOptions) {
    const max = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.states = opts.sources.map((source) => ({
      source, assembler: new Reassembler(source.ring.acked(), max), busy: false, halted: false,
    }));
    this.onMessage = opts.onMessage;
    this.onError = opts.onError;
    this.unsubscribe = opts.ownBell.subscribe(() => this.poll());
    // Frames may already be waiting, announced by a ring before this subscription existed.
    queueMicrotask(() => this.poll());
  }

  /** Stops reading and acking; a message already in onMessage is still acked when it resolves. */
  close(): void {
    this.closed = true;
    this.unsubscribe();
  }

  /** Reads every ring that is not busy or halted. */
  poll(): void {
    for (const state of this.states) this.drain(state);
  }

  private drain(state: SourceState): void {
    const { ring, peerBell } = state.source;
    while (!state.busy && !state.halted && !this.closed) {
      let msg: XshardMessage | null;
      try {
        const length = ring.nextLength();
        if (length < 0) break;
        msg = state.assembler.push(ring, length);
        ring.skip(length);
      } catch (e) {
        this.fail(state, e);
        break;
      }
      if (ring.takeSpaceRequest()) peerBell.ring();
      if (msg !== null) this.deliver(state, msg);
    }
  }

  private deliver(state: SourceState, msg: XshardMessage): void {
    state.busy = true;
    const { sourceIndex, ring, peerBell } = state.source;
    Promise.resolve()
      .then(() => this.onMessage(sourceIndex, msg))
      .then(() => {
        ring.ack(msg.seq);
        if (ring.takeAckRequest()) peerBell.ring();
        state.busy = false;
        this.drain(state);
      }, (e: unknown) => this.fail(state, e));
  }

  private fail(state: SourceState, e: unknown): void {
    state.halted = true;
    const err = ChainError.from(e);
    if (this.onError !== undefined) this.onError(state.source.sourceIndex, err);
    else queueMicrotask(() => { throw err; });
  }
}
