/**
 * The coordinator's shards addressed by full shard id (QuarkChain's 32-bit id), the only address
 * callers use: RPC maps keys to ids, P2P messages carry ids. An id this node does not run is
 * `SHARD_UNKNOWN` (class `invalid`: a peer's or caller's fault, never the node's).
 */
import { invalid } from '../core/errors.js';
import type { Shard } from '../shard/protocol.js';

export class ShardRouter {
  /** Full shard ids in ascending order, as the configuration lists them. */
  readonly ids: readonly number[];
  private readonly byId: ReadonlyMap<number, Shard>;
  private readonly list: readonly Shard[];

  constructor(shards: readonly Shard[]) {
    this.list = [...shards];
    this.ids = this.list.map((s) => s.shardId);
    this.byId = new Map(this.list.map((s) => [s.shardId, s]));
    if (this.byId.size !== this.list.length) throw invalid('BAD_CONFIG', 'two shards with one full shard id');
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** The shard `id`, or SHARD_UNKNOWN. */
  get(id: number): Shard {
    const s = this.byId.get(id);
    if (!s) throw invalid('SHARD_UNKNOWN', `no shard 0x${(id >>> 0).toString(16)} here`);
    return s;
  }

  /** Every shard, in `ids` order. */
  all(): readonly Shard[] {
    return this.list;
  }

  /** `fn` on every shard concurrently; results in `ids` order. */
  each<T>(fn: (s: Shard, id: number) => Promise<T>): Promise<T[]> {
    return Promise.all(this.list.map((s) => fn(s, s.shardId)));
  }
}
