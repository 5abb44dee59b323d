/**
 * Starting the shards of a configuration (DESIGN §1): one init per full shard id with its
 * cross-shard ring links and work-generation counter, opened in this thread (tests) or as
 * one-thread Piscina workers. A shard that fails to open closes the others.
 */
import { allShardIds, configToJson, type Config } from '../core/config.js';
import type { ChainError } from '../core/errors.js';
import { createXshardLinks } from '../channel/xshardChannel.js';
import type { KernelChoice } from '../pow/types.js';
import { InProcessShard } from '../shard/inProcessShard.js';
import type { Shard, ShardInit } from '../shard/protocol.js';
import { WorkerShard } from '../shard/workerShard.js';

export interface OpenShardsOptions {
  readonly config: Config;
  readonly datadir: string | null;
  readonly kernel: KernelChoice;
  readonly inProcess: boolean;
  readonly retainBlocks?: number;
  /** A worker died: the node must stop. */
  readonly onFatal: (e: ChainError) => void;
}

export interface OpenedShards {
  readonly shards: Shard[];
  /** Per shard (same order): the work-generation counter its sealing loop watches. */
  readonly gens: Int32Array[];
  /** The cross-shard rings by ordered pair of full shard ids, for read-only probes (metrics). */
  readonly rings: { readonly from: number; readonly to: number; readonly ring: SharedArrayBuffer }[];
}

export async function openShards(o: OpenShardsOptions): Promise<OpenedShards> {
  const ids = allShardIds(o.config);
  const links = createXshardLinks(ids.length, o.config.ringBytes);
  const gens = ids.map(() => new Int32Array(new SharedArrayBuffer(4)));
  const configJson = configToJson(o.config);
  const shards: Shard[] = [];
  try {
    const inits: ShardInit[] = ids.map((id, i) => ({
      configJson, shardId: id, dir: o.datadir, links: links[i]!, shardIds: ids, workGen: gens[i]!.buffer as SharedArrayBuffer, kernel: o.kernel, retainBlocks: o.retainBlocks,
    }));
    if (o.inProcess) for (const init of inits) shards.push(await InProcessShard.open(init));
    else {
      for (const init of inits) shards.push(new WorkerShard(init, o.onFatal));
      await Promise.all(shards.map((s) => s.status())); // opens every shard (and surfaces open errors)
    }
  } catch (e) {
    await Promise.allSettled(shards.map((s) => s.close()));
    throw e;
  }
  const rings = links.flatMap((l) => l.outgoing.map((o) => ({ from: ids[l.shardIndex]!, to: ids[o.peer]!, ring: o.ring })));
  return { shards, gens, rings };
}
