/**
 * `shardminer pow`: computes and checks one seal, to debug an external miner's shares.
 *   shardminer pow --algo A --seal-hash 0x… --nonce 0x… [--height N] [--difficulty D] [--mixhash 0x…] [--json]
 * Prints {result, mixhash, target, valid}: `result` is the final digest (double SHA-256, or the
 * qkchash result), `mixhash` the zero hash or the qkchash mix, `target` the largest valid result
 * for the difficulty (null without --difficulty), `valid` the full seal check (null without
 * --difficulty). Hex values are 0x + 64 lowercase digits. Exit 3 when the seal is invalid.
 */
import type { Command } from 'commander';
import { fromHex, toHex, type Bytes } from '../core/bytes.js';
import { ChainError, invalid } from '../core/errors.js';
import { checkSeal, doubleSha256Digest, qkchashDigest } from '../consensus/seal.js';
import { sealTarget, type HashAlgo } from '../consensus/target.js';
import { targetBytes } from '../pow/job.js';

const EXIT_CHECK_FAILED = 3;
const U64_MAX = (1n << 64n) - 1n;

interface PowFlags {
  algo: string;
  sealHash: string;
  nonce: string;
  height?: string;
  difficulty?: string;
  mixhash?: string;
  json?: boolean;
}

export interface PowReport {
  readonly result: string;
  readonly mixhash: string;
  readonly target: string | null;
  readonly valid: boolean | null;
}

function bigArg(v: string, name: string, min: bigint, max: bigint): bigint {
  let x: bigint;
  try {
    if (!/^(0x[0-9a-fA-F]+|[0-9]+)$/.test(v)) throw new Error();
    x = BigInt(v);
  } catch {
    throw invalid('BAD_FLAG', `--${name} must be a decimal or 0x-hex integer, got '${v}'`);
  }
  if (x < min || x > max) throw invalid('BAD_FLAG', `--${name} out of range: ${v}`);
  return x;
}

function hash32(v: string, name: string): Bytes {
  try {
    return fromHex(v, 32);
  } catch {
    throw invalid('BAD_FLAG', `--${name} must be 0x + 64 hex digits`);
  }
}

/** Pure: the report for one (algo, seal hash, nonce, height, difficulty, claimed mixhash). */
export function powReport(algo: HashAlgo, sealHash: Bytes, nonce: bigint, height: number, difficulty: bigint | null, claimedMix: Bytes | null): PowReport {
  const { result, mix } = algo === 'doublesha256'
    ? { result: doubleSha256Digest(sealHash, nonce), mix: new Uint8Array(32) }
    : qkchashDigest(sealHash, nonce, height);
  if (difficulty === null) return { result: toHex(result), mixhash: toHex(mix), target: null, valid: null };
  const target = sealTarget(algo, difficulty);
  let valid = true;
  try {
    checkSeal(algo, { sealHash, nonce, mixhash: claimedMix ?? mix, difficulty, height });
  } catch (e) {
    if (!(e instanceof ChainError) || e.cls !== 'invalid') throw e;
    valid = false;
  }
  return { result: toHex(result), mixhash: toHex(mix), target: target < 0n ? null : toHex(targetBytes(target)), valid };
}

export function runPow(f: PowFlags): void {
  if (f.algo !== 'doublesha256' && f.algo !== 'qkchash') throw invalid('BAD_FLAG', `--algo must be doublesha256 or qkchash, got '${f.algo}'`);
  const sealHash = hash32(f.sealHash, 'seal-hash');
  const nonce = bigArg(f.nonce, 'nonce', 0n, U64_MAX);
  if (f.algo === 'qkchash' && f.height === undefined) throw invalid('BAD_FLAG', '--height is required for qkchash (it selects the epoch)');
  const height = f.height === undefined ? 0 : Number(bigArg(f.height, 'height', 0n, BigInt(Number.MAX_SAFE_INTEGER)));
  const difficulty = f.difficulty === undefined ? null : bigArg(f.difficulty, 'difficulty', 1n, (1n << 256n) - 1n);
  const claimed = f.mixhash === undefined ? null : hash32(f.mixhash, 'mixhash');
  const r = powReport(f.algo, sealHash, nonce, height, difficulty, claimed);
  if (f.json) process.stdout.write(JSON.stringify(r) + '\n');
  else process.stdout.write(`result  ${r.result}\nmixhash ${r.mixhash}\ntarget  ${r.target ?? '(no --difficulty)'}\nvalid   ${r.valid ?? '(no --difficulty)'}\n`);
  if (r.valid === false) process.exitCode = EXIT_CHECK_FAILED;
}

export function registerPow(program: Command): void {
  program.command('pow')
    .description('compute and check one seal (debug an external miner\'s share); exit 3 if invalid')
    .requiredOption('--algo <A>', 'doublesha256 or qkchash')
    .requiredOption('--seal-hash <HEX>', 'the 32-byte seal hash (0x + 64 hex)')
    .requiredOption('--nonce <N>', 'the u64 nonce (0x-hex or decimal)')
    .option('--height <N>', 'block height (required for qkchash: epoch = height / 30000)')
    .option('--difficulty <D>', 'difficulty to check against (decimal or 0x-hex)')
    .option('--mixhash <HEX>', 'the share\'s mixhash to check (qkchash; doublesha256 expects zero)')
    .option('--json', 'print {result, mixhash, target, valid} as JSON')
    .action((f: PowFlags) => { runPow(f); });
}
