/**
 * The shard-block bundle of a root-blocks exchange: GET_ROOT_BLOCKS may end with a byte cap
 * (`shardBytes`), asking the server to send, beside each root block, the shard blocks it lists;
 * ROOT_BLOCKS then ends with one list per root block. Both trailers are optional, so a request or
 * response without them reads as before (a node that does not bundle is still understood).
 *
 *   GET_ROOT_BLOCKS   hashes [(32)] | shardBytes u32 (optional; 1 … MAX_BUNDLE_BYTES)
 *   ROOT_BLOCKS       blocks [RootBlock] | shardBlocks [[MinorBlock]] (optional; one list per root block)
 *
 * List i holds a prefix of root block i's listed minor headers' blocks, in listing order: block j
 * is the block whose header hash is the root block's j-th listed header hash (P2P_BUNDLE_MISMATCH
 * otherwise). So every bundled block is pinned by its root block, whose listing its merkle root
 * pins. The server stops where its byte cap or its reads end; the client fetches the rest with
 * GET_SHARD_BLOCKS. That the bundle keeps within the request's cap is checked by the client.
 */
import type { Reader, Writer } from '../core/codec.js';
import { equalBytes } from '../core/bytes.js';
import { minorBlockHash, minorHeaderHash, readMinorBlockLazily, writeMinorBlock, MINOR_HEADER_LEN, type MinorBlock } from '../core/minorBlock.js';
import type { RootBlock } from '../core/rootBlock.js';
import { readBoundedList, writeBoundedList, type ListBound } from './boundedList.js';
import { MAX_BUNDLE_BYTES, MAX_ROOT_BLOCKS } from './limits.js';
import { type Fail } from './wireChecks.js';

/** A list count prefix. */
const COUNT_LEN = 4;
/** The least a minor block takes: header, meta (two hashes, six u64s), an empty transfer list. */
const MIN_MINOR_BLOCK_LEN = MINOR_HEADER_LEN + 2 * 32 + 6 * 8 + COUNT_LEN;
/** The per-root-block lists: each at least its count. */
const BUNDLE_LISTS: ListBound = { max: MAX_ROOT_BLOCKS, minItemBytes: COUNT_LEN, what: 'bundled shard block lists' };

/** Whether the reader is at the end of the frame (an optional trailer is absent). */
const atEnd = (r: Reader, frameLen: number): boolean => r.offset >= frameLen;

/** A stated byte cap: 1 … MAX_BUNDLE_BYTES. */
export function checkBundleBytes(n: number, fail: Fail): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_BUNDLE_BYTES) fail('P2P_BAD_LIMIT', `bundle byte cap ${n} is not in 1..${MAX_BUNDLE_BYTES}`);
}

export function writeBundleRequest(w: Writer, shardBytes: number | undefined, fail: Fail): void {
  if (shardBytes === undefined) return;
  checkBundleBytes(shardBytes, fail);
  w.u32(shardBytes);
}

/** The optional byte cap after a GET_ROOT_BLOCKS' hashes. */
export function readBundleRequest(r: Reader, frameLen: number, fail: Fail): number | undefined {
  if (atEnd(r, frameLen)) return undefined;
  const n = r.u32();
  checkBundleBytes(n, fail);
  return n;
}

/** `bundle` against `blocks`: a list per root block, each a prefix of its listing. */
export function checkBundle(blocks: readonly RootBlock[], bundle: readonly (readonly MinorBlock[])[], fail: Fail): void {
  if (bundle.length !== blocks.length) fail('P2P_BUNDLE_MISMATCH', `${bundle.length} bundled lists for ${blocks.length} root blocks`);
  bundle.forEach((list, i) => checkBundleList(blocks[i]!, list, i, fail));
}

function checkBundleList(rb: RootBlock, list: readonly MinorBlock[], i: number, fail: Fail): void {
  if (list.length > rb.minorHeaders.length) fail('P2P_LIST_TOO_LONG', `root block ${i}: ${list.length} bundled shard blocks, ${rb.minorHeaders.length} listed`);
  list.forEach((b, j) => {
    if (!equalBytes(minorBlockHash(b), minorHeaderHash(rb.minorHeaders[j]!))) fail('P2P_BUNDLE_MISMATCH', `root block ${i}: bundled shard block ${j} is not the one it lists`);
  });
}

export function writeBundle(w: Writer, blocks: readonly RootBlock[], bundle: readonly (readonly MinorBlock[])[] | undefined, fail: Fail): void {
  if (bundle === undefined) return;
  checkBundle(blocks, bundle, fail);
  writeBoundedList(w, bundle, BUNDLE_LISTS, (ww, list) => ww.list(list, writeMinorBlock));
}

/** The optional bundle after a ROOT_BLOCKS' root blocks, checked against them as it is read. */
export function readBundle(r: Reader, frameLen: number, blocks: readonly RootBlock[], fail: Fail): MinorBlock[][] | undefined {
  if (atEnd(r, frameLen)) return undefined;
  let i = 0;
  const bundle = readBoundedList(r, frameLen, BUNDLE_LISTS, (rr) => {
    const rb = blocks[i];
    if (rb === undefined) return fail('P2P_BUNDLE_MISMATCH', `more bundled lists than the ${blocks.length} root blocks`);
    const list = readBoundedList(rr, frameLen, { max: rb.minorHeaders.length, minItemBytes: MIN_MINOR_BLOCK_LEN, what: `root block ${i}'s bundled shard blocks` }, readMinorBlockLazily);
    checkBundleList(rb, list, i++, fail);
    return list;
  });
  if (bundle.length !== blocks.length) fail('P2P_BUNDLE_MISMATCH', `${bundle.length} bundled lists for ${blocks.length} root blocks`);
  return bundle;
}
