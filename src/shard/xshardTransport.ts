/** How a shard delivers the deposit lists of a new block to the other shards (DESIGN §7). */
import type { Bytes } from '../core/bytes.js';
import type { Deposit } from '../core/deposit.js';

/** Lists written to their rings; `acked` resolves once every destination has durably stored its list. */
export interface Delivery {
  readonly acked: Promise<void>;
}

export interface XshardTransport {
  /**
   * Writes `lists` (destination full shard id → deposits) of source block `sourceHash`, and
   * resolves once they are written (their per-ring order is fixed when this is called: call it
   * inside the shard's serialised section). Waiting for the acks is the caller's, outside it.
   */
  send(sourceHash: Bytes, lists: ReadonlyMap<number, readonly Deposit[]>): Promise<Delivery>;
}
