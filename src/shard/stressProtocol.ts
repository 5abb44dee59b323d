/** The shapes of the shard API's stress and diagnostics calls (protocol.ts): plain data that crosses the worker boundary. */

/** What a shard's stress generator does (issue 6). */
export interface StressPlan {
  /** Transfers per second from this shard; 0 = as fast as the shard takes them. */
  readonly ratePerShard: number;
  /** Share of transfers to other shards, in percent. */
  readonly xshardPercent: number;
  /** Transfers to sign before the measured window. */
  readonly presign: number;
}

/** What a shard's stress generator saw. */
export interface StressReport {
  readonly shardId: number;
  readonly submitted: number;
  readonly accepted: number;
  /** Accepted transfers included in this shard's canonical chain (by the senders' nonce progress). */
  readonly included: number;
  readonly pendingInPool: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly presignedLeft: number;
  /** Accepted cross-shard transfers, and those included in this shard's canonical blocks. */
  readonly xAccepted: number;
  readonly xIncluded: number;
  /** Cross-shard deposits applied here. */
  readonly applied: number;
  /** Samples of the latency from source block to applied deposit here: seconds, and root blocks. */
  readonly latencySec: number[];
  readonly latencyRootBlocks: number[];
  /**
   * Counts of deposits applied here by how many root blocks it took from the source block's root
   * reference to the root block that confirmed the source block (`confirmLag`), and from that one
   * to the applying block's root reference (`applyLag`): the two parts of `latencyRootBlocks`.
   */
  readonly confirmLag: Readonly<Record<number, number>>;
  readonly applyLag: Readonly<Record<number, number>>;
}

/** Canonical blocks with createTime in [t0, t1). */
export interface ChainWindow {
  readonly blocks: number;
  readonly txs: number;
  readonly gasUsed: number;
  readonly gasLimit: number;
}

/** A thread's load: event-loop busy share since it started, and its heap. */
export interface ThreadLoad {
  readonly busy: number;
  readonly heapUsedMB: number;
  /** The thread's V8 heap as reserved (what it adds to the process RSS). */
  readonly heapTotalMB: number;
  /** Memory of ArrayBuffers (blocks, lists, encodings) outside the V8 heap. */
  readonly arrayBuffersMB: number;
  /** The thread's OS thread id (Linux), so the coordinator can read its CPU clock; null elsewhere. */
  readonly osThreadId: number | null;
  /** Sender recoveries (signature → sender) this thread has run so far. */
  readonly recoveries: number;
}
