/**
 * QuarkChain's private methods (served on the private port, on a loopback address, or with
 * --rpc-private): `getStats` (its fields: 60 s block-time windows, stale counts as QuarkChain
 * counts them), `setMining(bool)`, `createTransactions({numTxPerShard, xShardPercent, …})`.
 */
import { poolLimits } from '../../shard/poolLimits.js';
import { addressToBytes } from '../../core/address.js';
import { parseBranch } from '../../core/branch.js';
import { toHex } from '../../core/bytes.js';
import type { ShardStats } from '../../shard/protocol.js';
import { MAX_TX_PER_SHARD } from '../../shard/createTransactions.js';
import type { CallContext } from '../context.js';
import { invalidParams } from '../errors.js';
import { isPlainObject, type Json } from '../json.js';
import { arity, asArray, intOrQuantity, quantity } from '../params.js';

/** QuarkChain's tx_generator default gas price: 1 gwei. */
const DEFAULT_GAS_PRICE = 1_000_000_000n;
const U256_MAX = (1n << 256n) - 1n;
/** QuarkChain's BASE_ETH_CHAIN_ID; shardminer has no EVM, so the field is informative only. */
const BASE_ETH_CHAIN_ID = 100_000;

/** `mined`: blocks this node sealed, or accepted from its external miners, since it started (stale share = 1 − canonical gain ÷ Σ mined gain). */
function shardJson(id: number, s: ShardStats, mined: number): Json {
  return {
    fullShardId: id, chainId: id >>> 16, shardId: parseBranch(id).shardId,
    height: s.height, difficulty: Number(s.difficulty), coinbaseAddress: toHex(s.coinbase), timestamp: s.timestamp,
    txCount60s: s.txCount60s, pendingTxCount: s.pendingTxCount, queuedTxCount: s.queuedTxCount, totalTxCount: s.totalTxCount,
    blockCount60s: s.blockCount60s, staleBlockCount60s: s.staleBlockCount60s, lastBlockTime: s.lastBlockTime,
    poswEnabled: false, poswMinStake: 0, poswWindowSize: 0, difficultyDivider: 1, mined,
  };
}

export async function getStats(params: unknown, ctx: CallContext): Promise<Json> {
  arity(asArray(params), 0, 0);
  const c = ctx.node.coordinator;
  const cfg = c.config;
  const [shards, status] = await Promise.all([c.eachShard((s) => s.shardStats()), c.status()]);
  const sum = (f: (s: ShardStats) => number): number => shards.reduce((a, s) => a + f(s), 0);
  const tip = c.rootTip();
  const h = tip.block.header;
  return {
    networkId: cfg.networkId, chainSize: cfg.chains.length, baseEthChainId: BASE_ETH_CHAIN_ID, shardServerCount: c.shardIds.length,
    rootHeight: tip.height, rootDifficulty: Number(h.difficulty), rootCoinbaseAddress: toHex(addressToBytes(h.coinbase)),
    rootTimestamp: h.createTime, rootLastBlockTime: tip.parent ? h.createTime - tip.parent.block.header.createTime : 0,
    txCount60s: sum((s) => s.txCount60s), blockCount60s: sum((s) => s.blockCount60s), staleBlockCount60s: sum((s) => s.staleBlockCount60s),
    pendingTxCount: sum((s) => s.pendingTxCount), totalTxCount: sum((s) => s.totalTxCount),
    syncing: c.p2p.syncing(), mining: c.isMining() || ctx.node.remote,
    shards: shards.map((s, i) => shardJson(c.shardIds[i]!, s, status.shards[i]!.blocksMined)),
    peers: c.p2p.peers(), peerScores: c.p2p.peerInfo().map((p) => ({ address: p.address, score: Math.round(p.score) })),
    minor_block_interval: cfg.chains[0]!.consensus.targetBlockTime, root_block_interval: cfg.root.targetBlockTime,
    cpus: ctx.node.stats.cpuPercents(), txCountHistory: ctx.node.stats.txCountHistory(),
    txPoolLimits: poolLimits(cfg.txPoolSize),
  };
}

export async function setMining(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 1);
  if (typeof p[0] !== 'boolean') throw invalidParams('expected true or false');
  await ctx.node.coordinator.setMining(p[0], ctx.node.txRate);
  return null;
}

/**
 * shardminer's own: the conservation equation (DESIGN §6) at the root tip, amounts as decimal
 * strings — what `stress --rpc` reports for a running node.
 */
export async function getConservation(params: unknown, ctx: CallContext): Promise<Json> {
  arity(asArray(params), 0, 0);
  const c = ctx.node.coordinator;
  const tip = c.rootTip();
  const r = await c.conservation(tip.hash);
  return { rootHeight: tip.height, ok: r.ok, balances: r.balances.toString(), inFlight: r.inFlight.toString(), expected: r.expected.toString() };
}

/** Object params (pyquarkchain), `[{…}]` (goquarkchain docs), plain or hex integers: all accepted. */
export async function createTransactions(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params, true);
  arity(p, 1, 1);
  const o = p[0];
  if (!isPlainObject(o)) throw invalidParams('expected {numTxPerShard, xShardPercent, …}');
  const count = intOrQuantity(o.numTxPerShard, 'numTxPerShard', MAX_TX_PER_SHARD);
  const xShardPercent = intOrQuantity(o.xShardPercent ?? 0, 'xShardPercent', 100);
  const gasPrice = o.gasPrice === undefined ? DEFAULT_GAS_PRICE : typeof o.gasPrice === 'number' ? BigInt(intOrQuantity(o.gasPrice, 'gasPrice')) : quantity(o.gasPrice, 'gasPrice', U256_MAX);
  const value = o.value === undefined ? null : typeof o.value === 'number' ? BigInt(intOrQuantity(o.value, 'value')) : quantity(o.value, 'value', U256_MAX);
  await ctx.node.coordinator.eachShard((s) => s.createTransactions({ count, xShardPercent, gasPrice, value }));
  return null;
}
