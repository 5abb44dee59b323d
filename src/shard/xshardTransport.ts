/** How a shard delivers the deposit lists of a new block to the other shards (DESIGN §7). */
import type { Bytes } from '../core/bytes.js';
import type { Deposit } from '../core/deposit.js';

export interface XshardTransport {
  /**
   * Delivers `lists` (destination full shard id → deposits) of source block `sourceHash`;
   * resolves once every destination has durably stored its list.
   */
  deliver(sourceHash: Bytes, lists: ReadonlyMap<number, readonly Deposit[]>): Promise<void>;
}
