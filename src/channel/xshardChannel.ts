/**
 * The xshard channel of a cluster: one ring per ordered pair of shards and one doorbell per
 * shard worker, all SharedArrayBuffers, created by the coordinator (createXshardLinks) and handed
 * to each worker in `workerData` as plain data. Inside the worker, XshardEndpoint wraps them:
 * one XshardSender per destination and one XshardReceiver over every incoming ring, all woken
 * through the worker's single doorbell. No xshard list passes through the main thread.
 *
 * Wake-ups: data → the destination's doorbell (once per burst of sends); space freed after a
 * full ring → the source's doorbell (only when the source is blocked, once half the ring is free:
 * Ring.requestSpaceWake); acked → the source's doorbell (only while it has ack waiters:
 * Ring.requestAckWake). Doorbells notify only a parked listener (doorbell.ts).
 */
import { invalid } from '../core/errors.js';
import { createDoorbell, Doorbell } from './doorbell.js';
import type { XshardMessage } from './fragment.js';
import { createRing, Ring } from './ring.js';
import { MIN_XSHARD_RING_BYTES, XshardSender } from './xshardSender.js';
import { XshardReceiver } from './xshardReceiver.js';
import type { ChainError } from '../core/errors.js';

export type { XshardList, XshardMessage } from './fragment.js';
export { XshardSender, type XshardSenderOptions } from './xshardSender.js';
export { XshardReceiver, type XshardReceiverOptions, type XshardSource } from './xshardReceiver.js';

/** One ring end as handed to a worker: the ring and the other side's doorbell. */
export interface XshardLink {
  /** The other shard's index (destination for outgoing, source for incoming). */
  readonly peer: number;
  readonly ring: SharedArrayBuffer;
  readonly peerBell: SharedArrayBuffer;
}

/** Everything one shard worker needs, structured-cloneable (SharedArrayBuffers are shared). */
export interface XshardLinks {
  readonly shardIndex: number;
  /** This worker's own doorbell. */
  readonly bell: SharedArrayBuffer;
  readonly outgoing: readonly XshardLink[];
  readonly incoming: readonly XshardLink[];
}

/** Coordinator: creates the rings and doorbells of `shardCount` shards; element i goes to shard i. */
export function createXshardLinks(shardCount: number, ringBytes: number): XshardLinks[] {
  if (!Number.isInteger(shardCount) || shardCount < 1) throw invalid('XSHARD_SHARDS', `bad shard count ${shardCount}`);
  if (ringBytes < MIN_XSHARD_RING_BYTES) throw invalid('XSHARD_RING_SIZE', `xshard rings need at least ${MIN_XSHARD_RING_BYTES} bytes`);
  const bells = Array.from({ length: shardCount }, () => createDoorbell());
  // rings[s][d]: from shard s to shard d.
  const rings = bells.map((_, s) => bells.map((__, d) => (s === d ? null : createRing(ringBytes))));
  return bells.map((bell, i) => {
    const others = bells.map((_, j) => j).filter((j) => j !== i);
    return {
      shardIndex: i,
      bell,
      outgoing: others.map((j) => ({ peer: j, ring: rings[i]![j]!, peerBell: bells[j]! })),
      incoming: others.map((j) => ({ peer: j, ring: rings[j]![i]!, peerBell: bells[j]! })),
    };
  });
}

export interface XshardEndpointOptions {
  /** Stores a received list durably (idempotent by sourceHash); the ack follows its resolution. */
  readonly onMessage: (sourceShard: number, msg: XshardMessage) => Promise<void>;
  readonly onError?: (sourceShard: number, err: ChainError) => void;
  readonly maxQueued?: number;
  readonly maxMessageBytes?: number;
}

/** A shard worker's side of the channel: a sender per destination, one receiver, one doorbell. */
export class XshardEndpoint {
  readonly shardIndex: number;
  readonly bell: Doorbell;
  readonly receiver: XshardReceiver;
  private readonly senders = new Map<number, XshardSender>();

  constructor(links: XshardLinks, opts: XshardEndpointOptions) {
    this.shardIndex = links.shardIndex;
    this.bell = new Doorbell(links.bell);
    for (const out of links.outgoing) {
      this.senders.set(out.peer, new XshardSender({
        ring: new Ring(out.ring), peerBell: new Doorbell(out.peerBell), ownBell: this.bell,
        maxQueued: opts.maxQueued, maxMessageBytes: opts.maxMessageBytes,
      }));
    }
    this.receiver = new XshardReceiver({
      ownBell: this.bell,
      sources: links.incoming.map((l) => ({ sourceIndex: l.peer, ring: new Ring(l.ring), peerBell: new Doorbell(l.peerBell) })),
      onMessage: opts.onMessage, onError: opts.onError, maxMessageBytes: opts.maxMessageBytes,
    });
  }

  /** The sender to shard `dest`. */
  sender(dest: number): XshardSender {
    const s = this.senders.get(dest);
    if (s === undefined) throw invalid('XSHARD_NO_RING', `shard ${this.shardIndex} has no ring to shard ${dest}`);
    return s;
  }

  /** Starts listening on the doorbell (and holds the worker's event loop open). */
  start(): void {
    this.bell.start();
  }

  /** Stops listening, closes senders (pending sends reject) and the receiver. */
  stop(): void {
    for (const s of this.senders.values()) s.close();
    this.receiver.close();
    this.bell.stop();
  }
}
