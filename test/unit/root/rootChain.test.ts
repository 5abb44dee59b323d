/**
 * RootChain (DESIGN §8): assembling root blocks from the committed headers shards report, adding
 * them with fork choice by total difficulty, reopening from LevelDB, the configuration check and
 * the write-ahead record. Minor headers are hand-built chains on each shard's genesis block
 * (the root chain only stores and lists them; their own rules are the shards').
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyOf } from '../../../src/core/bytes.js';
import { allShardIds, defaultConfig, type Config } from '../../../src/core/config.js';
import { ChainError } from '../../../src/core/errors.js';
import { minorHeaderHash, type MinorHeader } from '../../../src/core/minorBlock.js';
import { rootHeaderHash } from '../../../src/core/rootBlock.js';
import { minorGenesis, rootGenesis } from '../../../src/consensus/genesis.js';
import { RootChain } from '../../../src/root/rootChain.js';
import { memKv } from '../../../src/store/memKv.js';
import { openLevelKv } from '../../../src/store/levelKv.js';

const CAP = 2;
const cfg: Config = { ...defaultConfig({ algo: 'simulate', shards: 2 }), rootMaxHeadersPerShard: CAP };
const [A, B] = allShardIds(cfg) as [number, number];
const T0 = cfg.genesisTimestamp;
const NOW = T0 + 1_000;
const COINBASE = { recipient: new Uint8Array(20).fill(7), fullShardKey: 0 };
const ROOT_GENESIS = rootHeaderHash(rootGenesis(cfg).header);

/** `n` headers continuing shard `id`'s genesis block, one second apart from `T0 + 1`. */
function chainOf(id: number, n: number, o: Partial<MinorHeader> = {}): MinorHeader[] {
  const out: MinorHeader[] = [];
  let prev = minorGenesis(cfg, id).block.header;
  for (let i = 1; i <= n; i++) {
    const h: MinorHeader = { ...prev, height: i, hashPrevMinorBlock: minorHeaderHash(prev), hashPrevRootBlock: ROOT_GENESIS, createTime: T0 + i, coinbaseAmount: BigInt(i), ...o };
    out.push(h);
    prev = h;
  }
  return out;
}

async function report(root: RootChain, headers: MinorHeader[]): Promise<void> {
  for (const [i, h] of headers.entries()) await root.addCommittedHeader(h, i === headers.length - 1);
}

const keys = (hs: readonly MinorHeader[]): string[] => hs.map((h) => keyOf(minorHeaderHash(h)));

test('createBlockToMine lists each shard\'s pending committed headers in shard order, capped per shard, none newer than the block', async () => {
  const root = await RootChain.open(cfg, memKv());
  const a = chainOf(A, 3);
  const b = chainOf(B, 2);
  const bLate = { ...b[1]!, createTime: NOW + 500 }; // created after the candidate: held back
  await report(root, a);
  await report(root, [b[0]!, bLate]);
  const rb = root.createBlockToMine(NOW, COINBASE);
  assert.deepEqual(keys(rb.minorHeaders), keys([a[0]!, a[1]!, b[0]!]));
  assert.equal(rb.header.height, 1);
  const r = await root.addBlock(rb, { nowSec: NOW });
  assert.equal(r.newTip, true);
  assert.equal(root.tip.height, 1);
  // What the tip confirmed is not listed again; the rest of shard A is.
  const next = root.createBlockToMine(NOW + 1, COINBASE);
  assert.deepEqual(keys(next.minorHeaders), keys([a[2]!]));
  await root.close();
});

test('a shard whose reported tip does not link back to its confirmed header contributes nothing', async () => {
  const root = await RootChain.open(cfg, memKv());
  const a = chainOf(A, 2);
  await root.addCommittedHeader(a[1]!, true); // a[0] never reported: the chain has a gap
  assert.deepEqual(root.createBlockToMine(NOW, COINBASE).minorHeaders, []);
  await root.addCommittedHeader(a[0]!, false);
  assert.deepEqual(keys(root.createBlockToMine(NOW, COINBASE).minorHeaders), keys(a));
  await root.close();
});

test('fork choice by total difficulty: a heavier sibling takes the tip, an equal one does not', async () => {
  const root = await RootChain.open(cfg, memKv());
  // Within the difficulty cutoff of genesis the difficulty rises; far past it, it falls.
  const quick = root.createBlockToMine(T0 + 1, COINBASE);
  const slow = root.createBlockToMine(T0 + 100 * cfg.root.cutoff, COINBASE);
  const twin = root.createBlockToMine(T0 + 2, { ...COINBASE, fullShardKey: 1 });
  assert.ok(quick.header.difficulty > slow.header.difficulty);
  assert.equal(twin.header.difficulty, quick.header.difficulty);
  assert.equal((await root.addBlock(slow, { nowSec: NOW })).newTip, true);
  assert.equal((await root.addBlock(quick, { nowSec: NOW })).newTip, true);
  assert.equal(keyOf(root.tip.hash), keyOf(rootHeaderHash(quick.header)));
  assert.equal((await root.addBlock(twin, { nowSec: NOW })).newTip, false, 'first seen wins a tie');
  assert.equal((await root.addBlock(quick, { nowSec: NOW })).known, true);
  await root.close();
});

test('a root block whose parent is unknown is "not yet", not invalid', async () => {
  const root = await RootChain.open(cfg, memKv());
  const rb = root.createBlockToMine(NOW, COINBASE);
  const orphan = { ...rb, header: { ...rb.header, height: 2, hashPrevBlock: new Uint8Array(32).fill(9) } };
  await assert.rejects(root.addBlock(orphan, { nowSec: NOW }), (e: unknown) => e instanceof ChainError && e.code === 'ROOT_PARENT_UNKNOWN' && e.cls === 'notYet');
  await root.close();
});

test('reopened from LevelDB: the tip, the committed headers and the write-ahead record; another configuration is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rootchain-'));
  try {
    let root = await RootChain.open(cfg, await openLevelKv(dir));
    const a = chainOf(A, 3);
    await report(root, a);
    const rb = root.createBlockToMine(NOW, COINBASE);
    await root.addBlock(rb, { nowSec: NOW });
    await root.setWal(rootHeaderHash(rb.header));
    await root.close();

    root = await RootChain.open(cfg, await openLevelKv(dir));
    assert.equal(root.tip.height, 1);
    assert.equal(keyOf(root.tip.hash), keyOf(rootHeaderHash(rb.header)));
    assert.ok(root.isCommitted(minorHeaderHash(a[2]!)));
    assert.equal(keyOf((await root.wal())!), keyOf(rootHeaderHash(rb.header)));
    await root.clearWal();
    assert.equal(await root.wal(), undefined);
    await root.close();

    const other: Config = { ...cfg, rootCoinbaseAmount: cfg.rootCoinbaseAmount + 1n };
    const kv = await openLevelKv(dir);
    await assert.rejects(RootChain.open(other, kv), (e: unknown) => e instanceof ChainError && e.code === 'CONFIG_MISMATCH');
    await kv.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
