/**
 * Field rules shared by the encoder and the decoder, so that we never send what a peer would
 * reject. Each rule reports through a `Fail`: decoding fails with an `invalid` error (the
 * sender's fault), encoding with an `internal` one (our own bug: never penalise anyone), whose
 * message names the code a peer would have rejected the frame with.
 */
import { parseBranch } from '../core/branch.js';
import { internal, invalid, type InvalidCode } from '../core/errors.js';
import { MAX_PORT } from './limits.js';

/** Reports a broken rule; never returns. */
export type Fail = (code: InvalidCode, detail: string) => never;

export const decodeFail: Fail = (code, detail) => {
  throw invalid(code, detail);
};

export const encodeFail: Fail = (code, detail) => {
  throw internal('P2P_ENCODE_INVALID', `${code}: ${detail}`);
};

/** A list of `n` items where at most `max` are allowed. */
export function checkCount(n: number, max: number, what: string, fail: Fail): void {
  if (n > max) fail('P2P_LIST_TOO_LONG', `${what}: ${n} items exceed the limit ${max}`);
}

/** A request for `n` items: at least one (an empty request is pointless), at most `max`. */
export function checkRequested(n: number, max: number, what: string, fail: Fail): void {
  if (!Number.isInteger(n) || n < 1 || n > max) fail('P2P_BAD_LIMIT', `${what}: ${n} is not in 1..${max}`);
}

/** A shard selector must be a full shard id (it has a shard-size bit, see core/branch.ts). */
export function checkShardId(id: number, fail: Fail): void {
  try {
    parseBranch(id);
  } catch {
    fail('P2P_BAD_SHARD', `0x${(id >>> 0).toString(16)} is not a full shard id`);
  }
}

/** A header or block inside a shard-scoped message must belong to that shard. */
export function checkBranch(branch: number, shardId: number, what: string, fail: Fail): void {
  if (branch !== shardId) fail('P2P_BRANCH_MISMATCH', `${what} is on shard 0x${branch.toString(16)}, not 0x${shardId.toString(16)}`);
}

export function checkPort(port: number, fail: Fail): void {
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) fail('P2P_BAD_VALUE', `port ${port} is not in 0..${MAX_PORT}`);
}
