/** The `Shard` interface in the calling thread (unit tests, debugging): a ShardHost, no worker. */
import type { ShardApi, Shard, ShardInit } from './protocol.js';
import { apiTable, callOn } from './shardApi.js';
import { ShardHost } from './shardHost.js';

// The API methods come from `apiTable` (assigned in the constructor): declared here by merging.
export interface InProcessShard extends ShardApi {}

export class InProcessShard implements Shard {
  private constructor(readonly shardId: number, readonly host: ShardHost) {
    Object.assign(this, apiTable(callOn(host)));
  }

  static async open(init: ShardInit): Promise<InProcessShard> {
    return new InProcessShard(init.shardId, await ShardHost.open(init));
  }

  close(): Promise<void> { return this.host.close(); }
}
