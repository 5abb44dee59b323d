/**
 * validateRootHeader / validateRootBody (DESIGN §8; chain_rules §4.2): one test per rule. A
 * valid root block is hand-built on a hand-built parent, listing two headers of shard 0x4 and
 * one of shard 0x5 that continue their confirmed chains; each test changes exactly one thing
 * (recomputing the merkle root, the coinbase amount and the seal unless those are the rule)
 * and asserts the exact code and class. Tables then check the order of the rules.
 */
import { test } from 'node:test';
import type { ConsensusParams, TaxRate } from '../../../src/core/config.js';
import { keyToFullShardId } from '../../../src/core/branch.js';
import { keyOf, type Bytes } from '../../../src/core/bytes.js';
import { minorHeaderHash, type MinorHeader } from '../../../src/core/minorBlock.js';
import { minorHeadersMerkleRoot, rootHeaderHash, rootSealHash, type RootBlock, type RootHeader } from '../../../src/core/rootBlock.js';
import { MAX_FUTURE_SECONDS } from '../../../src/consensus/validateMinorHeader.js';
import { validateRootBody, validateRootHeader, type RootBlockContext } from '../../../src/consensus/validateRootBlock.js';
import { expectCode, findNonce } from '../../utils/blockEdit.js';

const T0 = 1_700_000_500;
const ROOT_REWARD = 1000n;
const TAX: TaxRate = { num: 1n, den: 2n }; // tax ½: a header's root share equals its coinbase amount
const h32 = (n: number): Bytes => { const b = new Uint8Array(32); b[0] = n; b[31] = 0xcc; return b; };
const consensus: ConsensusParams = { algo: 'doublesha256', targetBlockTime: 10, genesisDifficulty: 6400n, minimumDifficulty: 400n, cutoff: 7, factor: 64 };

const parent: RootHeader = {
  version: 0, height: 3, hashPrevBlock: h32(1), hashMerkleRoot: h32(2), coinbase: { recipient: new Uint8Array(20), fullShardKey: 0 },
  coinbaseAmount: 0n, createTime: T0, difficulty: 6400n, totalDifficulty: 100_000n, nonce: 0n, mixhash: new Uint8Array(32),
};
const PARENT = rootHeaderHash(parent);
/** Root blocks the listed headers may reference: the parent and its ancestor; OTHER is on another fork. */
const ANCESTOR = h32(10);
const OTHER = h32(11);

function minor(branch: number, height: number, prev: Bytes, o: Partial<MinorHeader> = {}): MinorHeader {
  return {
    version: 0, branch, height, coinbase: { recipient: new Uint8Array(20), fullShardKey: branch & 3 }, coinbaseAmount: BigInt(10 * height + branch),
    hashPrevMinorBlock: prev, hashPrevRootBlock: ANCESTOR, gasLimit: 12_000_000, hashMeta: h32(20 + height), createTime: T0 - 20 + height,
    difficulty: 1n, nonce: 0n, mixhash: new Uint8Array(32), ...o,
  };
}
const c4 = minor(0x4, 7, h32(30)); // last confirmed of 0x4 on the parent chain
const a1 = minor(0x4, 8, minorHeaderHash(c4));
const a2 = minor(0x4, 9, minorHeaderHash(a1));
const a3 = minor(0x4, 10, minorHeaderHash(a2));
const c5 = minor(0x5, 2, h32(31));
const b1 = minor(0x5, 3, minorHeaderHash(c5));
// Committed variants that break one rule each.
const a2Late = { ...a2, createTime: T0 + 2 }; // newer than the root block (T0 + 1)
const a2OffChain = { ...a2, hashPrevRootBlock: OTHER };
const a2Skip = { ...a2, height: 10 }; // links to a1 by hash but skips a height
const x1 = minor(0x10004, 1, h32(32)); // a shard that does not exist

const committed = new Set([c4, a1, a2, a3, c5, b1, a2Late, a2OffChain, a2Skip, x1].map((h) => keyOf(minorHeaderHash(h))));
const ctx: RootBlockContext = {
  consensus, nowSec: T0 + 1, maxHeadersPerShard: 2, rootReward: ROOT_REWARD, tax: TAX, shardIds: new Set([0x4, 0x5, 0x6, 0x7]),
  keyToShard: (k) => keyToFullShardId(k, (chain) => (chain === 0 ? 4 : undefined)),
  isCommitted: (h) => committed.has(keyOf(h)),
  isRootAncestor: (a, b) => keyOf(b) === keyOf(PARENT) && [ANCESTOR, PARENT].some((x) => keyOf(x) === keyOf(a)),
  lastConfirmed: (s) => (s === 0x4 ? minorHeaderHash(c4) : s === 0x5 ? minorHeaderHash(c5) : h32(99)),
};

const coinbaseOf = (list: readonly MinorHeader[]): bigint => list.reduce((s, h) => s + h.coinbaseAmount, ROOT_REWARD);

function seal(h: RootHeader, good = true): RootHeader {
  return { ...h, nonce: findNonce('doublesha256', rootSealHash(h), h.difficulty, h.height, new Uint8Array(32), good) };
}

/** A root block listing `list` with a consistent merkle root and coinbase, then `o` applied, sealed. */
function block(list: readonly MinorHeader[], o: Partial<RootHeader> = {}, good = true): RootBlock {
  const header: RootHeader = {
    version: 0, height: 4, hashPrevBlock: PARENT, hashMerkleRoot: minorHeadersMerkleRoot(list), coinbase: parent.coinbase,
    coinbaseAmount: coinbaseOf(list), createTime: T0 + 1, difficulty: 6500n, totalDifficulty: 106_500n, nonce: 0n, mixhash: new Uint8Array(32), ...o,
  };
  return { header: seal(header, good), minorHeaders: list };
}

const LIST = [a1, a2, b1];
const valid = block(LIST);

/** `p` null: the parent is unknown (undefined would take the default). */
function validate(b: RootBlock, p: RootHeader | null = parent, c: RootBlockContext = ctx): void {
  validateRootHeader(b.header, p ?? undefined, c);
  validateRootBody(b, c);
}

test('validateRootBlock: the base block is valid, and so is one listing no header', () => {
  validate(valid);
  validate(block([]));
  validate(block([b1]));
});

// ---- header ----------------------------------------------------------------------------

test('ROOT_BAD_VERSION', () => {
  expectCode(() => validate(block(LIST, { version: 1 })), 'ROOT_BAD_VERSION', 'invalid');
});

test('ROOT_BAD_HEIGHT: height 0 (before the parent lookup) and height ≠ parent + 1', () => {
  expectCode(() => validate(block(LIST, { height: 0 })), 'ROOT_BAD_HEIGHT', 'invalid');
  expectCode(() => validate(block(LIST, { height: 0 }), null), 'ROOT_BAD_HEIGHT', 'invalid');
  expectCode(() => validate(block(LIST, { height: 5 })), 'ROOT_BAD_HEIGHT', 'invalid');
  expectCode(() => validate(block(LIST, { height: 3 })), 'ROOT_BAD_HEIGHT', 'invalid');
});

test('ROOT_PARENT_UNKNOWN is notYet', () => {
  expectCode(() => validate(valid, null), 'ROOT_PARENT_UNKNOWN', 'notYet');
});

test('ROOT_TIME_NOT_AFTER_PARENT: equal or earlier time', () => {
  expectCode(() => validate(block(LIST, { createTime: T0 })), 'ROOT_TIME_NOT_AFTER_PARENT', 'invalid');
  expectCode(() => validate(block(LIST, { createTime: T0 - 1 })), 'ROOT_TIME_NOT_AFTER_PARENT', 'invalid');
});

test(`ROOT_TIME_IN_FUTURE: more than ${MAX_FUTURE_SECONDS} s ahead is notYet; exactly ${MAX_FUTURE_SECONDS} s passes`, () => {
  validate(valid, parent, { ...ctx, nowSec: T0 + 1 - MAX_FUTURE_SECONDS });
  expectCode(() => validate(valid, parent, { ...ctx, nowSec: T0 - MAX_FUTURE_SECONDS }), 'ROOT_TIME_IN_FUTURE', 'notYet');
});

test('ROOT_BAD_DIFFICULTY (total difficulty kept consistent with it)', () => {
  expectCode(() => validate(block(LIST, { difficulty: 6501n, totalDifficulty: 106_501n })), 'ROOT_BAD_DIFFICULTY', 'invalid');
  // Right for a 7 s gap (≥ cutoff), not for this block's 1 s gap.
  expectCode(() => validate(block(LIST, { difficulty: 6400n, totalDifficulty: 106_400n })), 'ROOT_BAD_DIFFICULTY', 'invalid');
});

test('ROOT_BAD_TOTAL_DIFFICULTY: ≠ parent total + difficulty', () => {
  expectCode(() => validate(block(LIST, { totalDifficulty: 106_501n })), 'ROOT_BAD_TOTAL_DIFFICULTY', 'invalid');
  expectCode(() => validate(block(LIST, { totalDifficulty: 6500n })), 'ROOT_BAD_TOTAL_DIFFICULTY', 'invalid');
});

test('BAD_MIXHASH and BAD_SEAL on a root header; skipSeal skips only the seal', () => {
  const mixhash = new Uint8Array(32);
  mixhash[0] = 9;
  expectCode(() => validate(block(LIST, { mixhash })), 'BAD_MIXHASH', 'invalid');
  const bad = block(LIST, {}, false);
  expectCode(() => validate(bad), 'BAD_SEAL', 'invalid');
  validate(bad, parent, { ...ctx, skipSeal: true });
});

// ---- body ------------------------------------------------------------------------------

test('ROOT_BAD_COINBASE_ADDRESS: a coinbase key of a chain that does not exist (any key of chain 0 is fine)', () => {
  validate(block(LIST, { coinbase: { recipient: new Uint8Array(20), fullShardKey: 0xffff } }));
  expectCode(() => validate(block(LIST, { coinbase: { recipient: new Uint8Array(20), fullShardKey: 0x10000 } })), 'ROOT_BAD_COINBASE_ADDRESS', 'invalid');
  expectCode(() => validate(block(LIST, { coinbase: { recipient: new Uint8Array(20), fullShardKey: 0xffffffff } })), 'ROOT_BAD_COINBASE_ADDRESS', 'invalid');
});

test('ROOT_BAD_MERKLE_ROOT: the list changed but the merkle root did not', () => {
  expectCode(() => validate(block([a1, b1], { hashMerkleRoot: valid.header.hashMerkleRoot, coinbaseAmount: coinbaseOf([a1, b1]) })), 'ROOT_BAD_MERKLE_ROOT', 'invalid');
  expectCode(() => validate(block(LIST, { hashMerkleRoot: h32(77) })), 'ROOT_BAD_MERKLE_ROOT', 'invalid');
});

test('ROOT_UNKNOWN_SHARD: a header of a shard that is not configured', () => {
  expectCode(() => validate(block([...LIST, x1])), 'ROOT_UNKNOWN_SHARD', 'invalid');
});

test('ROOT_MINOR_ORDER: headers not in ascending full shard id', () => {
  expectCode(() => validate(block([b1, a1, a2])), 'ROOT_MINOR_ORDER', 'invalid');
});

test('ROOT_MINOR_UNKNOWN: a header not committed yet is notYet', () => {
  const uncommitted = { ...b1, nonce: 12345n };
  expectCode(() => validate(block([a1, a2, uncommitted])), 'ROOT_MINOR_UNKNOWN', 'notYet');
});

test('ROOT_MINOR_TIME: a header newer than the root block', () => {
  expectCode(() => validate(block([a1, a2Late, b1])), 'ROOT_MINOR_TIME', 'invalid');
});

test("ROOT_MINOR_ROOT_REFERENCE: a header whose root reference is not on the parent's chain", () => {
  expectCode(() => validate(block([a1, a2OffChain, b1])), 'ROOT_MINOR_ROOT_REFERENCE', 'invalid');
});

test('ROOT_TOO_MANY_HEADERS: more than the per-shard cap', () => {
  expectCode(() => validate(block([a1, a2, a3, b1])), 'ROOT_TOO_MANY_HEADERS', 'invalid');
  expectCode(() => validate(valid, parent, { ...ctx, maxHeadersPerShard: 1 }), 'ROOT_TOO_MANY_HEADERS', 'invalid');
  validate(block([a1, a2, a3, b1]), parent, { ...ctx, maxHeadersPerShard: 3 });
});

test('ROOT_MINOR_DISCONTINUOUS: a gap after the confirmed header, a gap inside, a repeat, a height skip', () => {
  expectCode(() => validate(block([a2, b1])), 'ROOT_MINOR_DISCONTINUOUS', 'invalid');
  expectCode(() => validate(block([a1, a3, b1])), 'ROOT_MINOR_DISCONTINUOUS', 'invalid');
  expectCode(() => validate(block([a1, a1, b1])), 'ROOT_MINOR_DISCONTINUOUS', 'invalid');
  expectCode(() => validate(block([a1, a2Skip, b1])), 'ROOT_MINOR_DISCONTINUOUS', 'invalid');
});

test('ROOT_BAD_COINBASE_AMOUNT: one unit more or less than reward + taxed share', () => {
  expectCode(() => validate(block(LIST, { coinbaseAmount: coinbaseOf(LIST) + 1n })), 'ROOT_BAD_COINBASE_AMOUNT', 'invalid');
  expectCode(() => validate(block(LIST, { coinbaseAmount: coinbaseOf(LIST) - 1n })), 'ROOT_BAD_COINBASE_AMOUNT', 'invalid');
  expectCode(() => validate(block([], { coinbaseAmount: 0n })), 'ROOT_BAD_COINBASE_AMOUNT', 'invalid');
});

// ---- order -----------------------------------------------------------------------------

test('order (header): version → height → parent → time → difficulty → total difficulty → seal → body', () => {
  const rows: { code: string; cls: 'invalid' | 'notYet'; o: Partial<RootHeader>; noParent?: boolean; nowSec?: number }[] = [
    { code: 'ROOT_BAD_VERSION', cls: 'invalid', o: { version: 3 } },
    { code: 'ROOT_PARENT_UNKNOWN', cls: 'notYet', o: {}, noParent: true },
    { code: 'ROOT_BAD_HEIGHT', cls: 'invalid', o: { height: 9 } },
    { code: 'ROOT_TIME_IN_FUTURE', cls: 'notYet', o: {}, nowSec: T0 - MAX_FUTURE_SECONDS },
    { code: 'ROOT_BAD_DIFFICULTY', cls: 'invalid', o: { difficulty: 6600n } },
    { code: 'ROOT_BAD_TOTAL_DIFFICULTY', cls: 'invalid', o: { totalDifficulty: 1n } },
    { code: 'BAD_SEAL', cls: 'invalid', o: {} },
    { code: 'ROOT_BAD_MERKLE_ROOT', cls: 'invalid', o: { hashMerkleRoot: h32(78) } },
  ];
  for (let i = 0; i < rows.length; i++) {
    let o: Partial<RootHeader> = {};
    let p: RootHeader | null = parent;
    let c = ctx;
    for (const r of rows.slice(i)) {
      o = { ...o, ...r.o };
      if (r.noParent) p = null;
      if (r.nowSec !== undefined) c = { ...c, nowSec: r.nowSec };
    }
    const sealOk = i > rows.findIndex((r) => r.code === 'BAD_SEAL');
    expectCode(() => validate(block(LIST, o, sealOk), p, c), rows[i]!.code, rows[i]!.cls);
  }
  expectCode(() => validate(block(LIST, { createTime: T0, difficulty: 1n })), 'ROOT_TIME_NOT_AFTER_PARENT', 'invalid');
});

test('order (body): coinbase address → merkle root → shard → order → committed → time → root reference → cap → continuity → coinbase', () => {
  const wrongCoinbase = { coinbaseAmount: 1n };
  // Each list breaks its rule and every later one it can; the coinbase is always wrong too.
  const rows: { code: string; cls: 'invalid' | 'notYet'; list: MinorHeader[]; o?: Partial<RootHeader> }[] = [
    { code: 'ROOT_BAD_COINBASE_ADDRESS', cls: 'invalid', list: [b1, a1], o: { hashMerkleRoot: h32(79), coinbase: { recipient: new Uint8Array(20), fullShardKey: 0x20000 } } },
    { code: 'ROOT_BAD_MERKLE_ROOT', cls: 'invalid', list: [b1, a1], o: { hashMerkleRoot: h32(79) } },
    { code: 'ROOT_UNKNOWN_SHARD', cls: 'invalid', list: [x1, b1] }, // also out of order after it
    { code: 'ROOT_MINOR_ORDER', cls: 'invalid', list: [b1, { ...a2, nonce: 5n }] }, // the second is also uncommitted
    { code: 'ROOT_MINOR_UNKNOWN', cls: 'notYet', list: [{ ...a2Late, nonce: 6n }] }, // also late, off-chain (below)
    { code: 'ROOT_MINOR_TIME', cls: 'invalid', list: [a2Late] }, // also discontinuous
    { code: 'ROOT_MINOR_ROOT_REFERENCE', cls: 'invalid', list: [a2OffChain] }, // also discontinuous
    { code: 'ROOT_TOO_MANY_HEADERS', cls: 'invalid', list: [a1, a2, a1] }, // the third also repeats
    { code: 'ROOT_MINOR_DISCONTINUOUS', cls: 'invalid', list: [a2] },
    { code: 'ROOT_BAD_COINBASE_AMOUNT', cls: 'invalid', list: [a1] },
  ];
  for (const r of rows) expectCode(() => validate(block(r.list, { ...wrongCoinbase, ...r.o })), r.code, r.cls);
});
