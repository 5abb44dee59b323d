/**
 * Remote mining (interfaces §1): `getWork(fullShardKey|null, coinbase?)` →
 * `[sealHash, height, difficulty]` or null when no valid work exists (a well-formed key never
 * gets an error); `submitWork(fullShardKey|null, sealHash, nonce, mixhash, signature?)` →
 * true or false (unknown, evicted, stale or invalid work; never an error).
 */
import { toHex, toQuantity } from '../../core/bytes.js';
import { ROOT_CHAIN } from '../../cluster/work.js';
import type { CallContext } from '../context.js';
import { shardIdOfKey } from '../context.js';
import type { Json } from '../json.js';
import { arity, asArray, data, HASH_LEN, keyOrRoot, quantity, RECIPIENT_LEN, U64_MAX } from '../params.js';

/** QuarkChain's optional root-block signature (PoSW guardian): accepted and ignored. */
const SIGNATURE_LEN = 65;

/** The work chain of a key: ROOT_CHAIN for null, a full shard id, or null when no shard has that key. */
function chainOf(key: number | null, ctx: CallContext): number | null {
  return key === null ? ROOT_CHAIN : shardIdOfKey(ctx.node, key);
}

export async function getWork(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 0, 2);
  const key = keyOrRoot(p[0]);
  const coinbase = p[1] === undefined || p[1] === null ? null : data(p[1], 'coinbase', RECIPIENT_LEN);
  const chain = chainOf(key, ctx);
  if (chain === null) return null;
  const w = await ctx.node.work.getWork(chain, coinbase);
  return w ? [toHex(w.sealHash), toQuantity(w.height), toQuantity(w.difficulty)] : null;
}

export async function submitWork(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 4, 5);
  const key = keyOrRoot(p[0]);
  const sealHash = data(p[1], 'sealHash', HASH_LEN);
  const nonce = quantity(p[2], 'nonce', U64_MAX);
  const mixhash = data(p[3], 'mixhash', HASH_LEN);
  if (p[4] !== undefined && p[4] !== null) data(p[4], 'signature', SIGNATURE_LEN);
  const chain = chainOf(key, ctx);
  if (chain === null) return false;
  return ctx.node.work.submitWork(chain, sealHash, nonce, mixhash);
}
