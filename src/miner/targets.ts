/**
 * Which chains the external miner works on (`--shards all|root|0x5,…`) and their sealing
 * algorithms: the node's `networkInfo` gives the shards, shardminer's `getMiningConfig` the
 * algorithms (a QuarkChain node has no such method: doublesha256 is assumed, as its external
 * miner does without a config file).
 */
import { fullShardId, hexId, keyToFullShardId } from '../core/branch.js';
import { invalid } from '../core/errors.js';
import { POW_ALGOS, type PowAlgo } from '../core/config.js';
import type { RpcClient } from '../rpc/client.js';
import { METHOD_NOT_FOUND, RpcError } from '../rpc/errors.js';
import { isPlainObject } from '../rpc/json.js';

export interface Target {
  /** The full shard key sent in getWork/submitWork; null for the root. */
  readonly key: number | null;
  /** `root` or the full shard id (`0x5`): the one name a person reads (a key given as input maps to it). */
  readonly name: string;
  /** `root` or `shard 0x5`. */
  readonly label: string;
  readonly algo: PowAlgo;
  readonly targetBlockTime: number;
}

export type ShardsSpec = { readonly all: true } | { readonly all: false; readonly root: boolean; readonly keys: readonly number[] };

const ROOT_NAMES = new Set(['root', 'r', 'null']);
/** Without getMiningConfig: QuarkChain's external miner also defaults to double SHA-256. */
const FALLBACK_ALGO: PowAlgo = 'doublesha256';
const FALLBACK_BLOCK_TIME = 10;

export function parseShards(spec: string): ShardsSpec {
  if (spec.trim().toLowerCase() === 'all') return { all: true };
  let root = false;
  const keys: number[] = [];
  for (const part of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (ROOT_NAMES.has(part.toLowerCase())) { root = true; continue; }
    const n = Number(part);
    if (!Number.isInteger(n) || n < 0 || n > 0xffffffff) throw invalid('BAD_FLAG', `--shards: '${part}' is not a full shard key (e.g. 0x5) or 'root'`);
    keys.push(n);
  }
  if (!root && keys.length === 0) throw invalid('BAD_FLAG', '--shards names no chain');
  return { all: false, root, keys };
}

interface ChainAlgo { readonly algo: PowAlgo; readonly targetBlockTime: number }

function algoOf(v: unknown): ChainAlgo | null {
  if (!isPlainObject(v) || typeof v.algo !== 'string' || !(POW_ALGOS as readonly string[]).includes(v.algo)) return null;
  return { algo: v.algo as PowAlgo, targetBlockTime: typeof v.targetBlockTime === 'number' ? v.targetBlockTime : FALLBACK_BLOCK_TIME };
}

/** Resolves the spec against the node; `algo` overrides the node's answer for every chain. */
export async function resolveTargets(client: RpcClient, spec: ShardsSpec, algo?: PowAlgo): Promise<Target[]> {
  const info = await client.call('networkInfo');
  if (!isPlainObject(info) || !Array.isArray(info.shardSizes)) throw invalid('RPC_BAD_REPLY', 'networkInfo: unexpected reply');
  const sizes = info.shardSizes.map((s) => Number(s));
  const ids = sizes.flatMap((size, chain) => Array.from({ length: size }, (_, s) => fullShardId(chain, size, s)));
  const algos = new Map<number | null, ChainAlgo>();
  try {
    const cfg = await client.call('getMiningConfig');
    if (isPlainObject(cfg)) {
      const r = algoOf(cfg.root);
      if (r) algos.set(null, r);
      if (Array.isArray(cfg.shards)) for (const s of cfg.shards) { const a = algoOf(s); if (a && isPlainObject(s)) algos.set(Number(s.fullShardId), a); }
    }
  } catch (e) {
    if (!(e instanceof RpcError && e.code === METHOD_NOT_FOUND)) throw e;
  }
  const make = (key: number | null, id: number | null): Target => {
    const a = algos.get(id) ?? { algo: FALLBACK_ALGO, targetBlockTime: FALLBACK_BLOCK_TIME };
    const name = id === null ? 'root' : hexId(id);
    return { key, name, label: id === null ? 'root' : `shard ${name}`, algo: algo ?? a.algo, targetBlockTime: a.targetBlockTime };
  };
  if (spec.all) return [make(null, null), ...ids.map((id) => make(id, id))];
  const out: Target[] = spec.root ? [make(null, null)] : [];
  for (const key of spec.keys) {
    let id: number;
    try {
      id = keyToFullShardId(key, (c) => sizes[c]);
    } catch {
      throw invalid('BAD_FLAG', `--shards: no shard on the node for key ${hexId(key)}`);
    }
    out.push(make(key, id));
  }
  return out;
}
