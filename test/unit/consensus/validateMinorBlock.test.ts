/**
 * validateRootReference / validateBody / validatePostState (DESIGN §5): one test per rule, each
 * from a valid hand-built block and context with exactly one thing changed (recomputing the
 * tx root and hashMeta unless those are the rule), then the order of the rules in each stage.
 */
import { test } from 'node:test';
import { keyOf, type Bytes } from '../../../src/core/bytes.js';
import { metaHash, txMerkleRoot, type MinorBlock, type MinorHeader, type MinorMeta } from '../../../src/core/minorBlock.js';
import { deriveDevKey, signTx } from '../../../src/crypto/keys.js';
import { AccountTrie } from '../../../src/consensus/accountTrie.js';
import type { RunResult } from '../../../src/consensus/runBlock.js';
import { validateBody, validatePostState, validateRootReference, type RootRefContext } from '../../../src/consensus/validateMinorBlock.js';
import { expectCode } from '../../utils/blockEdit.js';

const SHARD = 0x4;
const XSHARD_GAS_LIMIT = 6_000_000;
const h32 = (n: number): Bytes => { const b = new Uint8Array(32); b[0] = n; b[31] = 0xdd; return b; };
const rcp = (n: number): Bytes => { const b = new Uint8Array(20); b[19] = n; return b; };

// ---- root reference --------------------------------------------------------------------

/**
 * Root chain R0 ← R1 ← R2, and a fork R0 ← F1 ← F2. Shard chain G ← M1 ← M2 (the parent);
 * a sibling fork G ← N1. R1 confirms M1, R2 confirms nothing new, F1 and F2 confirm N1.
 */
const [R0, R1, R2, F1, F2, R3] = [h32(1), h32(2), h32(3), h32(4), h32(5), h32(6)];
const [G, M1, M2, N1] = [h32(10), h32(11), h32(12), h32(13)];
const rootParent = new Map([[R1, R0], [R2, R1], [F1, R0], [F2, F1]].map(([a, b]) => [keyOf(a!), b!]));
const rootHeights = new Map([[R0, 0], [R1, 1], [R2, 2], [F1, 1], [F2, 2]].map(([a, h]) => [keyOf(a as Bytes), h as number]));
const minorParent = new Map([[M1, G], [M2, M1], [N1, G]].map(([a, b]) => [keyOf(a!), b!]));
const confirmedBy = new Map([[R0, G], [R1, M1], [R2, M1], [F1, N1], [F2, N1]].map(([r, m]) => [keyOf(r!), m!]));

function ancestorIn(parents: Map<string, Bytes>, a: Bytes, b: Bytes): boolean {
  for (let x: Bytes | undefined = b; x; x = parents.get(keyOf(x))) if (keyOf(x) === keyOf(a)) return true;
  return false;
}

const refCtx: RootRefContext = {
  rootHeight: (h) => rootHeights.get(keyOf(h)),
  isRootAncestor: (a, b) => ancestorIn(rootParent, a, b),
  confirmedAt: (r) => confirmedBy.get(keyOf(r))!,
  isMinorAncestor: (a, b) => ancestorIn(minorParent, a, b),
};

/** Only hashPrevRootBlock matters to these rules; the rest is the body section's valid header. */
const withRoot = (r: Bytes): MinorHeader => ({ ...header, hashPrevRootBlock: r });
const parentOf = (): MinorHeader => withRoot(R1);

test('validateRootReference: the same root block as the parent, or a descendant, is valid', () => {
  validateRootReference(withRoot(R1), parentOf(), M2, refCtx);
  validateRootReference(withRoot(R2), parentOf(), M2, refCtx);
});

test('BLOCK_ROOT_UNKNOWN: an unknown root block is notYet', () => {
  expectCode(() => validateRootReference(withRoot(R3), parentOf(), M2, refCtx), 'BLOCK_ROOT_UNKNOWN', 'notYet');
});

test("BLOCK_ROOT_NOT_DESCENDANT: a root reference below, or beside, the parent's", () => {
  expectCode(() => validateRootReference(withRoot(R0), parentOf(), M2, refCtx), 'BLOCK_ROOT_NOT_DESCENDANT', 'invalid');
  expectCode(() => validateRootReference(withRoot(F2), parentOf(), M2, refCtx), 'BLOCK_ROOT_NOT_DESCENDANT', 'invalid');
});

test('BLOCK_ROOT_CONFIRMED_CONFLICT: the referenced root block confirms a shard block that is not an ancestor of the parent', () => {
  // F1 confirms N1: a child of N1 may reference it, a child of M2 (parent referencing R0, so F1 descends from it) may not.
  validateRootReference(withRoot(F1), withRoot(R0), N1, refCtx);
  expectCode(() => validateRootReference(withRoot(F1), withRoot(R0), M2, refCtx), 'BLOCK_ROOT_CONFIRMED_CONFLICT', 'invalid');
});

test('order (root reference): unknown → not descendant → confirmed conflict', () => {
  // F2 is beside R1 and confirms N1 (not an ancestor of M2): the descent rule reports first.
  expectCode(() => validateRootReference(withRoot(F2), parentOf(), M2, refCtx), 'BLOCK_ROOT_NOT_DESCENDANT', 'invalid');
  const unknownButConflicting: RootRefContext = { ...refCtx, rootHeight: () => undefined };
  expectCode(() => validateRootReference(withRoot(F2), parentOf(), M2, unknownButConflicting), 'BLOCK_ROOT_UNKNOWN', 'notYet');
});

// ---- body ------------------------------------------------------------------------------

const key = deriveDevKey('validateMinorBlock test', 0);
const txs = [0, 1, 2].map((nonce) => signTx({
  nonce, gasPrice: 1n, gasLimit: 21_000, to: { recipient: rcp(nonce + 1), fullShardKey: 0 }, value: 5n, networkId: 3, fromFullShardKey: 0,
}, key));

const meta: MinorMeta = {
  txMerkleRoot: txMerkleRoot(txs), stateRoot: h32(40), gasUsed: 63_000, xshardGasLimit: XSHARD_GAS_LIMIT, xshardGasUsed: 0,
  cursor: { rootHeight: 3, minorIndex: 0, depositIndex: 0 },
};
const header: MinorHeader = {
  version: 0, branch: SHARD, height: 3, coinbase: { recipient: rcp(9), fullShardKey: 0x0 }, coinbaseAmount: 77n,
  hashPrevMinorBlock: M2, hashPrevRootBlock: R2, gasLimit: 12_000_000, hashMeta: metaHash(meta), createTime: 1_700_000_010,
  difficulty: 1n, nonce: 0n, mixhash: new Uint8Array(32),
};
const valid: MinorBlock = { header, meta, txs };
const bodyCtx = { xshardGasLimit: XSHARD_GAS_LIMIT, coinbaseShard: (k: number): number => 0x4 | (k & 3), shardId: SHARD };

/** The valid block with one change; the tx root and hashMeta follow unless `keep` says otherwise. */
function edit(o: { meta?: Partial<MinorMeta>; header?: Partial<MinorHeader>; txs?: MinorBlock['txs'] }, keep: { txRoot?: boolean; metaHash?: boolean } = {}): MinorBlock {
  const t = o.txs ?? txs;
  const m: MinorMeta = { ...meta, ...(keep.txRoot ? {} : { txMerkleRoot: txMerkleRoot(t) }), ...o.meta };
  const h: MinorHeader = { ...header, ...(keep.metaHash ? {} : { hashMeta: metaHash(m) }), ...o.header };
  return { header: h, meta: m, txs: t };
}

test('validateBody: the base block is valid', () => {
  validateBody(valid, bodyCtx);
  validateBody(edit({ txs: [] }), bodyCtx);
});

test('BLOCK_BAD_META_HASH: the meta changed but hashMeta did not', () => {
  expectCode(() => validateBody(edit({ meta: { stateRoot: h32(41) } }, { metaHash: true }), bodyCtx), 'BLOCK_BAD_META_HASH', 'invalid');
  expectCode(() => validateBody(edit({ header: { hashMeta: h32(42) } }), bodyCtx), 'BLOCK_BAD_META_HASH', 'invalid');
});

test('BLOCK_BAD_XSHARD_GAS_LIMIT: a cross-shard gas limit other than the configured one', () => {
  expectCode(() => validateBody(edit({ meta: { xshardGasLimit: XSHARD_GAS_LIMIT + 1 } }), bodyCtx), 'BLOCK_BAD_XSHARD_GAS_LIMIT', 'invalid');
  expectCode(() => validateBody(edit({ meta: { xshardGasLimit: 0 } }), bodyCtx), 'BLOCK_BAD_XSHARD_GAS_LIMIT', 'invalid');
});

test('BLOCK_BAD_COINBASE_SHARD: a coinbase address owned by another shard', () => {
  validateBody(edit({ header: { coinbase: { recipient: rcp(9), fullShardKey: 0x4 } } }), bodyCtx); // key 4 & 3 = 0: still shard 0x4
  expectCode(() => validateBody(edit({ header: { coinbase: { recipient: rcp(9), fullShardKey: 0x1 } } }), bodyCtx), 'BLOCK_BAD_COINBASE_SHARD', 'invalid');
});

test('BLOCK_BAD_TX_ROOT: transactions dropped, reordered or added under the same root', () => {
  expectCode(() => validateBody(edit({ txs: txs.slice(0, 2) }, { txRoot: true }), bodyCtx), 'BLOCK_BAD_TX_ROOT', 'invalid');
  expectCode(() => validateBody(edit({ txs: [txs[1]!, txs[0]!, txs[2]!] }, { txRoot: true }), bodyCtx), 'BLOCK_BAD_TX_ROOT', 'invalid');
  expectCode(() => validateBody(edit({ txs: [...txs, txs[0]!] }, { txRoot: true }), bodyCtx), 'BLOCK_BAD_TX_ROOT', 'invalid');
});

test('order (body): meta hash → cross-shard gas limit → coinbase shard → tx root', () => {
  const badCb = { coinbase: { recipient: rcp(9), fullShardKey: 0x2 } };
  expectCode(() => validateBody(edit({ meta: { xshardGasLimit: 1 }, header: { ...badCb, hashMeta: h32(43) }, txs: [] }, { txRoot: true }), bodyCtx), 'BLOCK_BAD_META_HASH', 'invalid');
  expectCode(() => validateBody(edit({ meta: { xshardGasLimit: 1 }, header: badCb, txs: [] }, { txRoot: true }), bodyCtx), 'BLOCK_BAD_XSHARD_GAS_LIMIT', 'invalid');
  expectCode(() => validateBody(edit({ header: badCb, txs: [] }, { txRoot: true }), bodyCtx), 'BLOCK_BAD_COINBASE_SHARD', 'invalid');
});

// ---- post-state ------------------------------------------------------------------------

const trie = AccountTrie.empty().update([[rcp(9), { balance: 77n, nonce: 0 }]]);
const postMeta: MinorMeta = { ...meta, stateRoot: trie.root(), gasUsed: 72_000, xshardGasUsed: 9_000, cursor: { rootHeight: 2, minorIndex: 3, depositIndex: 1 } };
const post: MinorBlock = edit({ meta: postMeta });
const run: RunResult = {
  trie, diff: [], txs: [], gasUsed: 72_000, xshardGasUsed: 9_000, cursor: { rootHeight: 2, minorIndex: 3, depositIndex: 1 },
  coinbaseAmount: 77n, fee: 0n, lists: new Map(), applied: [],
};

test('validatePostState: the base block matches its execution', () => {
  validatePostState(post, run);
});

test('BLOCK_BAD_CURSOR: any of the three cursor fields differs', () => {
  for (const c of [{ rootHeight: 3, minorIndex: 3, depositIndex: 1 }, { rootHeight: 2, minorIndex: 2, depositIndex: 1 }, { rootHeight: 2, minorIndex: 3, depositIndex: 0 }]) {
    expectCode(() => validatePostState(edit({ meta: { ...postMeta, cursor: c } }), run), 'BLOCK_BAD_CURSOR', 'invalid');
  }
});

test('BLOCK_BAD_XSHARD_GAS_USED', () => {
  expectCode(() => validatePostState(edit({ meta: { ...postMeta, xshardGasUsed: 18_000 } }), run), 'BLOCK_BAD_XSHARD_GAS_USED', 'invalid');
});

test('BLOCK_BAD_GAS_USED', () => {
  expectCode(() => validatePostState(edit({ meta: { ...postMeta, gasUsed: 72_001 } }), run), 'BLOCK_BAD_GAS_USED', 'invalid');
});

test('BLOCK_BAD_COINBASE_AMOUNT', () => {
  expectCode(() => validatePostState(edit({ meta: postMeta, header: { coinbaseAmount: 78n } }), run), 'BLOCK_BAD_COINBASE_AMOUNT', 'invalid');
});

test('BLOCK_BAD_STATE_ROOT', () => {
  const other = trie.update([[rcp(9), { balance: 78n, nonce: 0 }]]).root();
  expectCode(() => validatePostState(edit({ meta: { ...postMeta, stateRoot: other } }), run), 'BLOCK_BAD_STATE_ROOT', 'invalid');
  expectCode(() => validatePostState(edit({ meta: { ...postMeta, stateRoot: AccountTrie.empty().root() } }), run), 'BLOCK_BAD_STATE_ROOT', 'invalid');
});

test('order (post-state): cursor → cross-shard gas used → gas used → coinbase amount → state root', () => {
  const all = { cursor: { rootHeight: 9, minorIndex: 0, depositIndex: 0 }, xshardGasUsed: 1, gasUsed: 1, stateRoot: h32(44) };
  const rows: [string, Partial<MinorMeta>][] = [
    ['BLOCK_BAD_CURSOR', all],
    ['BLOCK_BAD_XSHARD_GAS_USED', { ...all, cursor: postMeta.cursor }],
    ['BLOCK_BAD_GAS_USED', { ...all, cursor: postMeta.cursor, xshardGasUsed: postMeta.xshardGasUsed }],
    ['BLOCK_BAD_COINBASE_AMOUNT', { ...all, cursor: postMeta.cursor, xshardGasUsed: postMeta.xshardGasUsed, gasUsed: postMeta.gasUsed }],
  ];
  for (const [code, m] of rows) expectCode(() => validatePostState(edit({ meta: { ...postMeta, ...m }, header: { coinbaseAmount: 1n } }), run), code, 'invalid');
  expectCode(() => validatePostState(edit({ meta: { ...postMeta, stateRoot: h32(44) } }), run), 'BLOCK_BAD_STATE_ROOT', 'invalid');
});
