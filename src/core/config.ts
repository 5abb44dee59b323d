/**
 * Configuration: defaults (DESIGN §5, §6, §8) and validation. Bad configuration fails fast
 * with a clear message (code BAD_CONFIG). The configuration is plain data (bigints for amounts)
 * so it can be recorded in a datadir and passed to workers via `configToJson`.
 */
import { invalid } from './errors.js';
import { fullShardId, isPowerOfTwo } from './branch.js';

export type PowAlgo = 'doublesha256' | 'qkchash' | 'simulate';
export const POW_ALGOS: readonly PowAlgo[] = ['doublesha256', 'qkchash', 'simulate'];

export interface ConsensusParams {
  readonly algo: PowAlgo;
  /** Target seconds per block (used by `simulate` and to tune genesis difficulty). */
  readonly targetBlockTime: number;
  readonly genesisDifficulty: bigint;
  readonly minimumDifficulty: bigint;
  /** QuarkChain difficulty cutoff (seconds): settles near cutoff / ln 2 per block. */
  readonly cutoff: number;
  /** QuarkChain difficulty adjustment factor: parentDiff / factor per step. */
  readonly factor: number;
}

export interface ChainConfig {
  /** Shards in this chain: a power of two. */
  readonly shardSize: number;
  readonly consensus: ConsensusParams;
}

export interface TaxRate { readonly num: bigint; readonly den: bigint }

export interface GenesisAlloc { readonly address: string; readonly balance: bigint }

export interface Config {
  readonly networkId: number;
  readonly chains: readonly ChainConfig[];
  readonly root: ConsensusParams;
  /** Root-block cap of headers per shard (DESIGN §8). */
  readonly rootMaxHeadersPerShard: number;
  readonly rootCoinbaseAmount: bigint;
  readonly shardCoinbaseAmount: bigint;
  /** Share of shard rewards and fees moved to the root coinbase (QuarkChain default ½). */
  readonly taxRate: TaxRate;
  readonly gasLimit: number;
  /** Cross-shard gas limit: half the block gas limit (QuarkChain, not separately configurable). */
  readonly xshardGasLimit: number;
  readonly minGasPrice: bigint;
  readonly txPoolSize: number;
  /** Fixed genesis timestamp (unix seconds) so genesis is a pure function of the configuration. */
  readonly genesisTimestamp: number;
  readonly genesisAlloc: readonly GenesisAlloc[];
  /** Dev accounts derived from `devSeed`, funded with `devBalance` on every shard. */
  readonly devAccounts: number;
  readonly devSeed: string;
  readonly devBalance: bigint;
  /** Cross-shard ring capacity in bytes per ordered shard pair (power of two). */
  readonly ringBytes: number;
}

/** Total shards are capped (DESIGN §12) to keep one machine's thread count sane. */
export const MAX_TOTAL_SHARDS = 64;
/** 10^18: one token in its smallest unit, as QuarkChain's wei. */
export const ONE_TOKEN = 10n ** 18n;

/**
 * Genesis difficulties tuned for a 2-core x86-64 with the native kernel (~25–30 M nonces/s per
 * core, shared by 4 shard loops and the root sealer, ~10 M/s each). The first block after the
 * fixed genesis timestamp always falls to the minimum (genesis / 16), so the minimum is the
 * tuned value: 30 M ≈ 3 s per shard block, 100 M ≈ 10 s per root block.
 */
export const DEFAULT_SHARD_DIFFICULTY = 16n * 30_000_000n;
export const DEFAULT_ROOT_DIFFICULTY = 16n * 100_000_000n;

export function shardConsensus(algo: PowAlgo, genesisDifficulty = DEFAULT_SHARD_DIFFICULTY): ConsensusParams {
  // Shard target ~3 s → cutoff 2 (cutoff / ln 2 ≈ 2.9 s); factor 64 corrects a mis-set genesis in minutes.
  return { algo, targetBlockTime: 3, genesisDifficulty, minimumDifficulty: minDiff(genesisDifficulty), cutoff: 2, factor: 64 };
}

export function rootConsensus(algo: PowAlgo, genesisDifficulty = DEFAULT_ROOT_DIFFICULTY): ConsensusParams {
  // Root target ~10 s → cutoff 7 (7 / ln 2 ≈ 10.1 s).
  return { algo, targetBlockTime: 10, genesisDifficulty, minimumDifficulty: minDiff(genesisDifficulty), cutoff: 7, factor: 64 };
}

/** Minimum difficulty = genesis / 16 (at least 1), separate from the genesis value. */
export function minDiff(genesis: bigint): bigint {
  const m = genesis / 16n;
  return m > 0n ? m : 1n;
}

export interface ConfigOptions {
  chains?: number;
  shards?: number;
  algo?: PowAlgo;
  rootAlgo?: PowAlgo;
  shardAlgo?: PowAlgo;
  rootDifficulty?: bigint;
  shardDifficulty?: bigint;
}

export function defaultConfig(o: ConfigOptions = {}): Config {
  const chains = o.chains ?? 1;
  const shards = o.shards ?? 4;
  const shardAlgo = o.shardAlgo ?? o.algo ?? 'doublesha256';
  const rootAlgo = o.rootAlgo ?? o.algo ?? 'doublesha256';
  const cfg: Config = {
    networkId: 3,
    chains: Array.from({ length: chains }, () => ({ shardSize: shards, consensus: shardConsensus(shardAlgo, o.shardDifficulty) })),
    root: rootConsensus(rootAlgo, o.rootDifficulty),
    rootMaxHeadersPerShard: 32,
    rootCoinbaseAmount: 120n * ONE_TOKEN,
    shardCoinbaseAmount: 5n * ONE_TOKEN,
    taxRate: { num: 1n, den: 2n },
    gasLimit: 12_000_000,
    xshardGasLimit: 6_000_000,
    minGasPrice: 1n,
    txPoolSize: 100_000,
    genesisTimestamp: 1_700_000_000,
    genesisAlloc: [],
    devAccounts: 8,
    devSeed: 'shardminer dev accounts',
    devBalance: 1_000_000n * ONE_TOKEN,
    ringBytes: 1 << 20,
  };
  validateConfig(cfg);
  return cfg;
}

function fail(msg: string): never {
  throw invalid('BAD_CONFIG', msg);
}

function validateConsensus(p: ConsensusParams, where: string): void {
  if (!POW_ALGOS.includes(p.algo)) fail(`${where}: unknown algorithm '${String(p.algo)}' (expected ${POW_ALGOS.join(', ')})`);
  if (!(p.targetBlockTime > 0)) fail(`${where}: targetBlockTime must be > 0`);
  if (p.genesisDifficulty < 1n) fail(`${where}: genesis difficulty must be ≥ 1`);
  if (p.minimumDifficulty < 1n || p.minimumDifficulty > p.genesisDifficulty) fail(`${where}: minimum difficulty must be in [1, genesis difficulty]`);
  if (!Number.isInteger(p.cutoff) || p.cutoff < 1) fail(`${where}: cutoff must be an integer ≥ 1`);
  if (!Number.isInteger(p.factor) || p.factor < 1) fail(`${where}: factor must be an integer ≥ 1`);
}

export function validateConfig(c: Config): void {
  if (!Number.isInteger(c.networkId) || c.networkId < 0 || c.networkId > 0xffffffff) fail('networkId must be a u32');
  if (c.chains.length < 1 || c.chains.length > MAX_TOTAL_SHARDS) fail(`chains must be 1..${MAX_TOTAL_SHARDS}`);
  let total = 0;
  c.chains.forEach((ch, i) => {
    if (!isPowerOfTwo(ch.shardSize)) fail(`chain ${i}: shards per chain must be a power of two, got ${ch.shardSize}`);
    total += ch.shardSize;
    validateConsensus(ch.consensus, `chain ${i}`);
  });
  if (total > MAX_TOTAL_SHARDS) fail(`total shards ${total} exceeds the cap of ${MAX_TOTAL_SHARDS}`);
  validateConsensus(c.root, 'root');
  if (!Number.isInteger(c.rootMaxHeadersPerShard) || c.rootMaxHeadersPerShard < 1) fail('rootMaxHeadersPerShard must be ≥ 1');
  if (c.rootCoinbaseAmount < 0n || c.shardCoinbaseAmount < 0n) fail('coinbase amounts must be ≥ 0');
  if (c.taxRate.den <= 0n || c.taxRate.num < 0n || c.taxRate.num >= c.taxRate.den) fail('taxRate must be a fraction in [0, 1)');
  if (!Number.isSafeInteger(c.gasLimit) || c.gasLimit < 60_000) fail('gasLimit must be an integer ≥ 60000');
  if (c.xshardGasLimit !== Math.floor(c.gasLimit / 2)) fail('xshardGasLimit must be gasLimit / 2');
  if (c.minGasPrice < 0n) fail('minGasPrice must be ≥ 0');
  if (!Number.isInteger(c.txPoolSize) || c.txPoolSize < 1) fail('txPoolSize must be ≥ 1');
  if (!Number.isSafeInteger(c.genesisTimestamp) || c.genesisTimestamp < 0) fail('genesisTimestamp must be unix seconds');
  if (!Number.isInteger(c.devAccounts) || c.devAccounts < 0 || c.devAccounts > 100_000) fail('devAccounts must be 0..100000');
  if (!isPowerOfTwo(c.ringBytes) || c.ringBytes < 4096) fail('ringBytes must be a power of two ≥ 4096');
}

/** All full shard ids in ascending order. */
export function allShardIds(c: Config): number[] {
  const ids: number[] = [];
  c.chains.forEach((ch, chainId) => {
    for (let s = 0; s < ch.shardSize; s++) ids.push(fullShardId(chainId, ch.shardSize, s));
  });
  return ids.sort((a, b) => a - b);
}

export function shardSizeOf(c: Config): (chainId: number) => number | undefined {
  return (chainId) => c.chains[chainId]?.shardSize;
}

export function consensusOf(c: Config, id: number): ConsensusParams {
  const ch = c.chains[id >>> 16];
  if (!ch) throw invalid('UNKNOWN_CHAIN', `no chain for full shard id 0x${id.toString(16)}`);
  return ch.consensus;
}

/** JSON with bigints as decimal strings; `configFromJson` reverses it. */
export function configToJson(c: Config): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

export function configFromJson(s: string): Config {
  const c = JSON.parse(s, (_k, v: unknown) => (typeof v === 'string' && /^\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v)) as Config;
  validateConfig(c);
  return c;
}
