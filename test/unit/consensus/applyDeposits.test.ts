import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyDeposits, type DepositContext, type RootInfo } from '../../../src/consensus/applyDeposits.js';
import { AccountTrie } from '../../../src/consensus/accountTrie.js';
import { StateOverlay } from '../../../src/consensus/stateOverlay.js';
import { keyOf, type Bytes } from '../../../src/core/bytes.js';
import type { Deposit } from '../../../src/core/deposit.js';
import type { MinorHeader, XshardCursor } from '../../../src/core/minorBlock.js';
import type { ChainError } from '../../../src/core/errors.js';

const OWN = 0x5;
const A = 0x4;
const B = 0x6;
const h32 = (n: number): Bytes => { const b = new Uint8Array(32); b[31] = n; b[0] = 0xaa; return b; };
const rcp = (n: number): Bytes => { const b = new Uint8Array(20); b[19] = n; return b; };
// Root hashes: root i has hash h32(100 + i); rootHeightOf maps them back.
const rootHash = (i: number): Bytes => h32(100 + i);

function header(branch: number, prevRootHeight: number): MinorHeader {
  return { branch, hashPrevRootBlock: rootHash(prevRootHeight) } as unknown as MinorHeader;
}

function dep(tag: number, to: number, value: bigint): Deposit {
  return { txHash: h32(tag), from: { recipient: rcp(200 + tag), fullShardKey: 0 }, to: { recipient: rcp(to), fullShardKey: 1 }, value, gasPrice: 2n, gasRemaining: 10 };
}

interface World { roots: RootInfo[]; lists: Map<string, Deposit[]> }

/** Root i lists `hs` (minor hashes h32(10·i + j)); `coinbaseKey` 1 → owned by OWN (key 1 maps to 0x5). */
function world(spec: { hs: { branch: number; prh: number; list?: Deposit[] }[]; coinbaseKey?: number; amount?: bigint }[]): World {
  const lists = new Map<string, Deposit[]>();
  const roots = spec.map((r, i): RootInfo => {
    const minorHashes = r.hs.map((_, j) => h32(10 * i + j + 1));
    r.hs.forEach((x, j) => { if (x.list) lists.set(keyOf(minorHashes[j]!), x.list); });
    return {
      hash: rootHash(i), height: i, coinbase: { recipient: rcp(99), fullShardKey: r.coinbaseKey ?? 0 }, coinbaseAmount: r.amount ?? 1000n,
      minorHeaders: r.hs.map((x) => header(x.branch, x.prh)), minorHashes,
    };
  });
  return { roots, lists };
}

function ctx(w: World, maxRootHeight: number, xshardGasLimit = 1_000_000): DepositContext {
  return {
    shardId: OWN, xshardGasLimit, keyToShard: (k) => 0x4 | (k & 3), rootAt: (h) => w.roots[h]!, maxRootHeight,
    rootHeightOf: (hash) => hash[31]! - 100, depositList: (hash) => w.lists.get(keyOf(hash)),
  };
}

const cur = (rootHeight: number, minorIndex: number, depositIndex: number): XshardCursor => ({ rootHeight, minorIndex, depositIndex });

function run(w: World, start: XshardCursor, maxH: number, limit?: number) {
  const st = new StateOverlay(AccountTrie.empty());
  const r = applyDeposits(st, start, ctx(w, maxH, limit));
  return { ...r, st, tags: r.applied.map((a) => (a.fromRoot ? `R${a.rootHeight}` : `d${a.deposit.txHash[31]}`)) };
}

const W = world([
  { hs: [] }, // r0 genesis
  { hs: [{ branch: A, prh: 0, list: [] }, { branch: OWN, prh: 0 }], coinbaseKey: 1, amount: 500n }, // r1: refs to genesis: skipped
  { hs: [{ branch: A, prh: 1, list: [dep(1, 1, 10n), dep(2, 2, 20n)] }, { branch: OWN, prh: 1 }, { branch: B, prh: 1, list: [] }, { branch: B, prh: 1, list: [dep(3, 3, 30n)] }] },
  { hs: [{ branch: A, prh: 2, list: [dep(4, 4, 40n)] }] },
]);

const cases: { name: string; start: XshardCursor; maxH: number; limit?: number; tags: string[]; end: XshardCursor }[] = [
  { name: 'genesis: root coinbase of r0, then EOF', start: cur(0, 0, 0), maxH: 0, tags: ['R0'], end: cur(1, 0, 0) },
  { name: 'already at EOF: nothing, cursor unchanged', start: cur(3, 0, 0), maxH: 2, tags: [], end: cur(3, 0, 0) },
  { name: 'root coinbase then headers referencing genesis are skipped', start: cur(1, 0, 0), maxH: 1, tags: ['R1'], end: cur(2, 0, 0) },
  { name: 'order: coinbase, deposits by header, own shard and empty lists skipped', start: cur(2, 0, 0), maxH: 2, tags: ['R2', 'd1', 'd2', 'd3'], end: cur(3, 0, 0) },
  { name: 'several root blocks in height order', start: cur(1, 0, 0), maxH: 3, tags: ['R1', 'R2', 'd1', 'd2', 'd3', 'R3', 'd4'], end: cur(4, 0, 0) },
  { name: 'resume after the root coinbase', start: cur(2, 0, 1), maxH: 2, tags: ['d1', 'd2', 'd3'], end: cur(3, 0, 0) },
  { name: 'resume mid-list', start: cur(2, 1, 0), maxH: 2, tags: ['d2', 'd3'], end: cur(3, 0, 0) },
  { name: 'resume at the last deposit of a header moves to the next eligible header', start: cur(2, 1, 1), maxH: 2, tags: ['d3'], end: cur(3, 0, 0) },
  { name: 'resume at the last deposit of a root block moves to the next root', start: cur(2, 4, 0), maxH: 3, tags: ['R3', 'd4'], end: cur(4, 0, 0) },
  { name: 'gas limit reached exactly: stop at the deposit', start: cur(2, 0, 0), maxH: 3, limit: 18_000, tags: ['R2', 'd1', 'd2'], end: cur(2, 1, 1) },
  { name: 'gas limit overshoots by one deposit', start: cur(2, 0, 0), maxH: 3, limit: 10_000, tags: ['R2', 'd1', 'd2'], end: cur(2, 1, 1) },
  { name: 'limit below one deposit: one deposit per block', start: cur(2, 1, 0), maxH: 3, limit: 1, tags: ['d2'], end: cur(2, 1, 1) },
  { name: 'root coinbase costs no gas: the walk continues past it', start: cur(3, 0, 0), maxH: 3, limit: 9_000, tags: ['R3', 'd4'], end: cur(3, 1, 0) },
];

for (const c of cases) {
  test(`applyDeposits: ${c.name}`, () => {
    const r = run(W, c.start, c.maxH, c.limit);
    assert.deepEqual(r.tags, c.tags);
    assert.deepEqual(r.cursor, c.end);
    assert.equal(r.gasUsed, r.tags.filter((t) => t.startsWith('d')).length * 9000);
  });
}

test('applyDeposits: credits value to the recipient, refunds gas to the sender, fee 9000·gasPrice', () => {
  const r = run(W, cur(2, 0, 1), 2, 9000);
  assert.equal(r.st.get(rcp(1)).balance, 10n);
  assert.equal(r.st.get(rcp(201)).balance, 20n); // gasRemaining 10 × gasPrice 2
  assert.equal(r.fee, 18_000n);
});

test('applyDeposits: the root coinbase is credited only in the shard owning its address', () => {
  assert.equal(run(W, cur(1, 0, 0), 1).st.get(rcp(99)).balance, 500n);
  assert.equal(run(W, cur(2, 0, 0), 2).st.get(rcp(99)).balance, 0n); // r2's coinbase key 0 → shard 0x4
});

test('applyDeposits: a missing list is "not yet"', () => {
  const w = world([{ hs: [] }, { hs: [] }, { hs: [{ branch: A, prh: 1 }] }]);
  assert.throws(() => run(w, cur(2, 0, 0), 2), (e: ChainError) => e.code === 'XSHARD_LIST_MISSING' && e.cls === 'notYet');
});
