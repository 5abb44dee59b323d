/**
 * BlockRelay (the fast path of a new shard block) over fake hooks: each drop rule, the hold and
 * release of blocks waiting for a parent or a root block, relaying before adding and only once,
 * and whose fault a refusal is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, type Bytes } from '../../../../src/core/bytes.js';
import { ChainError, internal, invalid, notYet } from '../../../../src/core/errors.js';
import { minorHeaderHash, type MinorBlock, type MinorHeader } from '../../../../src/core/minorBlock.js';
import { BlockRelay, STALE_HEIGHT_BOUND, type BlockRelayHooks } from '../../../../src/p2p/relay/blockRelay.js';
import type { PeerFault } from '../../../../src/p2p/peerFault.js';

const S = 0x4;
const ROOT = new Uint8Array(32).fill(1);
const META = { txMerkleRoot: new Uint8Array(32), stateRoot: new Uint8Array(32), gasUsed: 0, xshardGasLimit: 0, xshardGasUsed: 0, cursor: { rootHeight: 0, minorIndex: 0, depositIndex: 0 } };

function child(parent: MinorHeader | null, height: number, tag = 0): MinorBlock {
  const header: MinorHeader = {
    version: 0, branch: S, height, coinbase: { recipient: new Uint8Array(20), fullShardKey: 0 }, coinbaseAmount: BigInt(tag),
    hashPrevMinorBlock: parent ? minorHeaderHash(parent) : new Uint8Array(32), hashPrevRootBlock: ROOT, gasLimit: 1, hashMeta: new Uint8Array(32),
    createTime: height, difficulty: 1n, nonce: 0n, mixhash: new Uint8Array(32),
  };
  return { header, meta: META, txs: [] };
}
const hashOf = (b: MinorBlock): string => keyOf(minorHeaderHash(b.header));

class Fake implements BlockRelayHooks {
  readonly stored = new Set<string>();
  readonly roots = new Set<string>([keyOf(ROOT)]);
  readonly events: string[] = [];
  readonly faults: PeerFault[] = [];
  syncing = false;
  tip = 1;
  checkError: ChainError | null = null;
  addError: ChainError | null = null;
  constructor(readonly genesis: MinorBlock) { this.stored.add(hashOf(genesis)); }
  shardSyncing(): boolean { return this.syncing; }
  shardTipHeight(): number { return this.tip; }
  hasBlock(_s: number, h: Bytes): boolean { return this.stored.has(keyOf(h)); }
  hasRootBlock(h: Bytes): boolean { return this.roots.has(keyOf(h)); }
  async checkHeader(_s: number, b: MinorBlock): Promise<void> {
    this.events.push(`check ${b.header.height}`);
    if (this.checkError) throw this.checkError;
  }
  async add(_s: number, b: MinorBlock): Promise<void> {
    this.events.push(`add ${b.header.height}`);
    if (this.addError) throw this.addError;
    this.stored.add(hashOf(b));
  }
  relay(_s: number, b: MinorBlock, except: string | null): void { this.events.push(`relay ${b.header.height} except ${except}`); }
  fetchBlock(peer: string, _s: number, h: Bytes): void { this.events.push(`fetch ${keyOf(h).slice(0, 8)} from ${peer}`); }
  fault(_p: string, f: PeerFault): void { this.faults.push(f); }
  log(): void { /* quiet */ }
  now(): number { return 0; }
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

test('a good block is checked, relayed to all but its sender, then added; a second copy goes no further', async () => {
  const g = child(null, 1);
  const f = new Fake(g);
  const r = new BlockRelay(f);
  const b2 = child(g.header, 2);
  await r.onPeerBlock('A', S, b2);
  await r.onPeerBlock('B', S, b2);
  assert.deepEqual(f.events, ['check 2', 'relay 2 except A', 'add 2']);
  assert.equal(r.dropped.seen, 1);
});

test('dropped: while the shard syncs, when stale, when already stored (and never relayed)', async () => {
  const g = child(null, 1);
  const f = new Fake(g);
  const r = new BlockRelay(f);
  f.syncing = true;
  await r.onPeerBlock('A', S, child(g.header, 2));
  f.syncing = false;
  f.tip = 2 + STALE_HEIGHT_BOUND + 1;
  await r.onPeerBlock('A', S, child(g.header, 2, 1));
  f.tip = 1;
  const b = child(g.header, 2, 2);
  f.stored.add(hashOf(b));
  await r.onPeerBlock('A', S, b);
  assert.deepEqual(f.events, []);
  assert.deepEqual({ syncing: r.dropped.syncing, stale: r.dropped.stale, known: r.dropped.known }, { syncing: 1, stale: 1, known: 1 });
});

test('a block whose parent is unknown is held, the parent asked of its sender, and both added in order once it comes', async () => {
  const g = child(null, 1);
  const f = new Fake(g);
  const r = new BlockRelay(f);
  const b2 = child(g.header, 2);
  const b3 = child(b2.header, 3);
  await r.onPeerBlock('A', S, b3);
  assert.deepEqual(f.events, [`fetch ${hashOf(b2).slice(0, 8)} from A`]);
  await r.onPeerBlock('A', S, b2);
  await flush();
  assert.deepEqual(f.events.slice(1), ['check 2', 'relay 2 except A', 'add 2', 'check 3', 'relay 3 except A', 'add 3']);
});

test('a block whose root block is unknown is held until the root block arrives', async () => {
  const g = child(null, 1);
  const f = new Fake(g);
  const r = new BlockRelay(f);
  const other = new Uint8Array(32).fill(9);
  const b2: MinorBlock = { ...child(g.header, 2), header: { ...child(g.header, 2).header, hashPrevRootBlock: other } };
  await r.onPeerBlock('A', S, b2);
  assert.deepEqual(f.events, []);
  f.roots.add(keyOf(other));
  r.onRootBlock(other);
  await flush();
  assert.deepEqual(f.events, ['check 2', 'relay 2 except A', 'add 2']);
});

test('faults: a bad seal is fatal and not relayed; another bad header is not fatal; a failing body costs its sender, not a ban; ours blames no one', async () => {
  const g = child(null, 1);
  const cases: Array<[string, (f: Fake) => void, { fault?: string; fatal?: boolean; relayed: boolean }]> = [
    ['seal', (f) => { f.checkError = invalid('BAD_SEAL', 'digest above target'); }, { fault: 'P2P_BAD_SEAL', fatal: true, relayed: false }],
    ['difficulty', (f) => { f.checkError = invalid('BLOCK_BAD_DIFFICULTY', 'off'); }, { fault: 'P2P_BAD_BLOCK', fatal: false, relayed: false }],
    ['body', (f) => { f.addError = invalid('BLOCK_BAD_STATE_ROOT', 'off'); }, { fault: 'P2P_BAD_BLOCK', fatal: false, relayed: true }],
    ['ours', (f) => { f.addError = internal('DB_CORRUPT', 'disk'); }, { relayed: true }],
  ];
  for (const [name, setup, want] of cases) {
    const f = new Fake(g);
    setup(f);
    await new BlockRelay(f).onPeerBlock('A', S, child(g.header, 2));
    assert.equal(f.events.some((e) => e.startsWith('relay')), want.relayed, `${name}: relayed`);
    assert.equal(f.faults[0]?.fault, want.fault, `${name}: fault`);
    if (want.fault) assert.equal(f.faults[0]!.fatal, want.fatal, `${name}: fatal`);
  }
});

test('"not yet" from the checks holds the block without penalty; it is relayed once however often it comes back', async () => {
  const g = child(null, 1);
  const f = new Fake(g);
  const r = new BlockRelay(f);
  const b2 = child(g.header, 2);
  f.addError = notYet('BLOCK_ROOT_UNKNOWN', 'gone');
  await r.onPeerBlock('A', S, b2);
  assert.equal(f.faults.length, 0);
  f.addError = null;
  r.onRootBlock(ROOT);
  await flush();
  assert.deepEqual(f.events, ['check 2', 'relay 2 except A', 'add 2', 'check 2', 'add 2']);
});

test('a block made here is announced to every peer once, and releases the blocks waiting for it', async () => {
  const g = child(null, 1);
  const f = new Fake(g);
  const r = new BlockRelay(f);
  const b2 = child(g.header, 2);
  const b3 = child(b2.header, 3);
  await r.onPeerBlock('A', S, b3);
  f.stored.add(hashOf(b2));
  r.onLocalBlock(S, b2);
  r.onLocalBlock(S, b2);
  await flush();
  assert.deepEqual(f.events.slice(1), ['relay 2 except null', 'check 3', 'relay 3 except A', 'add 3']);
  await r.onPeerBlock('B', S, b2);
  assert.equal(f.events.filter((e) => e.startsWith('relay 2')).length, 1);
});

test('tookUp: true from the moment a block is taken up (before its checks end), false for one held or never seen', async () => {
  const g = child(null, 1);
  const f = new Fake(g);
  const r = new BlockRelay(f);
  const b2 = child(g.header, 2);
  const orphan = child(child(g.header, 2, 7).header, 3);
  const checking = r.onPeerBlock('A', S, b2);
  assert.equal(r.tookUp(minorHeaderHash(b2.header)), true, 'a tip announced right after the block needs no shard sync');
  await checking;
  await r.onPeerBlock('A', S, orphan);
  assert.equal(r.tookUp(minorHeaderHash(orphan.header)), false, 'a held block may still be brought by a shard sync');
  assert.equal(r.tookUp(minorHeaderHash(child(g.header, 2, 9).header)), false);
});
