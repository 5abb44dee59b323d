/**
 * The `--config FILE` schema (zod): any subset of the configuration (src/core/config.ts), nested
 * objects partial too. Unknown keys, wrong types and impossible values are refused with the
 * field's path as a usage error (BAD_CONFIG, exit 2). Amounts and difficulties are decimal
 * strings (JSON numbers lose precision above 2^53; small integers are accepted as numbers).
 * The README's "Configuration" section documents the same fields; `shardminer config` prints the
 * effective configuration in this format, so its output is a valid --config file.
 */
import { z } from 'zod';
import { isPowerOfTwo } from '../core/branch.js';
import { MAX_TOTAL_SHARDS, minDiff, POW_ALGOS, type Config, type ConsensusParams } from '../core/config.js';
import { invalid } from '../core/errors.js';

const U32_MAX = 0xffffffff;
/** Most dev accounts the configuration allows (core/config.ts validateConfig). */
const MAX_DEV_ACCOUNTS = 100_000;
/** QuarkChain's floor for a block gas limit that fits a few transfers. */
const MIN_GAS_LIMIT = 60_000;
const MIN_RING_BYTES = 4096;

/** A non-negative integer amount: a decimal string (optionally with a trailing `n`) or a safe integer. */
const amount = (min: bigint) => z.union([
  z.string().regex(/^\d+n?$/, 'expected a decimal integer string like "1000"'),
  z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
]).transform((v) => BigInt(typeof v === 'string' ? v.replace(/n$/, '') : v)).refine((v) => v >= min, `must be ≥ ${min}`);

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int(`expected an integer`).min(min).max(max);
const powerOfTwo = (min: number, max: number) => int(min, max).refine(isPowerOfTwo, 'must be a power of two');

const consensusSchema = z.strictObject({
  algo: z.enum(POW_ALGOS as [string, ...string[]]),
  targetBlockTime: z.number().positive(),
  genesisDifficulty: amount(1n),
  minimumDifficulty: amount(1n),
  cutoff: int(1),
  factor: int(1),
}).partial();

export const configFileSchema = z.strictObject({
  networkId: int(0, U32_MAX),
  chains: z.array(z.strictObject({ shardSize: powerOfTwo(1, MAX_TOTAL_SHARDS), consensus: consensusSchema.optional() }))
    .min(1).max(MAX_TOTAL_SHARDS),
  root: consensusSchema,
  rootMaxHeadersPerShard: int(1),
  rootCoinbaseAmount: amount(0n),
  shardCoinbaseAmount: amount(0n),
  taxRate: z.strictObject({ num: amount(0n), den: amount(1n) }).refine((t) => t.num < t.den, 'must be a fraction in [0, 1): num < den'),
  gasLimit: int(MIN_GAS_LIMIT),
  xshardGasLimit: int(0),
  minGasPrice: amount(0n),
  txPoolSize: int(1),
  genesisTimestamp: int(0),
  genesisAlloc: z.array(z.strictObject({
    address: z.string().regex(/^0x[0-9a-fA-F]{48}$/, 'expected 0x + 48 hex digits (recipient + full shard key)'),
    balance: amount(0n),
  })),
  devAccounts: int(0, MAX_DEV_ACCOUNTS),
  devSeed: z.string(),
  devBalance: amount(0n),
  ringBytes: powerOfTwo(MIN_RING_BYTES, 2 ** 30),
}).partial();

export type ConfigFile = z.infer<typeof configFileSchema>;

/** `a.b[0].c` from zod's path. */
function pathText(path: readonly PropertyKey[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : `${s ? '.' : ''}${String(p)}`;
  return s;
}

/** Keys people write after the flags' names, with where the value lives in the file. */
const FLAG_LIKE: Readonly<Record<string, string>> = {
  shards: 'chains[i].shardSize', algo: 'root.algo and chains[i].consensus.algo', rootAlgo: 'root.algo',
  shardAlgo: 'chains[i].consensus.algo', rootDifficulty: 'root.genesisDifficulty', shardDifficulty: 'chains[i].consensus.genesisDifficulty',
};

/** One zod issue as `path: what (got X)`. */
function issueText(issue: z.core.$ZodIssue): string {
  const at = pathText(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const where = at ? `${at}.${key}` : key;
    return `${where}: unknown key${FLAG_LIKE[key] ? ` (the file sets ${FLAG_LIKE[key]})` : ''}`;
  }
  const got = issue.input === undefined ? '' : ` (got ${JSON.stringify(issue.input, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))})`;
  return `${at ? `${at}: ` : ''}${issue.message}${got}`;
}

/** The file's JSON checked against the schema; the first problem (with its path) as BAD_CONFIG. */
export function parseConfigFile(json: unknown, where: string): ConfigFile {
  const r = configFileSchema.safeParse(json, { reportInput: true });
  if (r.success) return r.data;
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : '';
  throw invalid('BAD_CONFIG', `${where}: ${issueText(r.error.issues[0]!)}${more}`);
}

function mergeConsensus(base: ConsensusParams, o: ConfigFile['root']): ConsensusParams {
  if (!o) return base;
  const genesisDifficulty = o.genesisDifficulty ?? base.genesisDifficulty;
  // A new genesis difficulty without a minimum takes the default rule (genesis / 16).
  const minimumDifficulty = o.minimumDifficulty ?? (o.genesisDifficulty !== undefined ? minDiff(genesisDifficulty) : base.minimumDifficulty);
  return { ...base, ...o, algo: (o.algo ?? base.algo) as ConsensusParams['algo'], genesisDifficulty, minimumDifficulty };
}

/** `base` with the file's fields over it; nested consensus objects merge field by field. */
export function applyConfigFile(base: Config, f: ConfigFile): Config {
  const gasLimit = f.gasLimit ?? base.gasLimit;
  return {
    ...base,
    ...f,
    root: mergeConsensus(base.root, f.root),
    chains: f.chains
      ? f.chains.map((c, i) => ({ shardSize: c.shardSize, consensus: mergeConsensus((base.chains[i] ?? base.chains[0]!).consensus, c.consensus) }))
      : base.chains,
    taxRate: f.taxRate ?? base.taxRate,
    genesisAlloc: f.genesisAlloc ?? base.genesisAlloc,
    gasLimit,
    xshardGasLimit: f.xshardGasLimit ?? Math.floor(gasLimit / 2),
  };
}

/** The configuration as a --config file: JSON with amounts as decimal strings, indented. */
export function configFileText(c: Config): string {
  return JSON.stringify(c, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2);
}
