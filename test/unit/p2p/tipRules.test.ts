import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MinorHeader } from '../../../src/core/minorBlock.js';
import type { RootHeader } from '../../../src/core/rootBlock.js';
import type { PeerDecision } from '../../../src/p2p/peerFault.js';
import { PeerTips } from '../../../src/p2p/tipRules.js';
import { chainSample, S4, S5, sampleMessages } from './fixtures.js';

const OK = { ok: true };

function expectTipFault(d: PeerDecision, fault: string): void {
  assert.ok(!d.ok, `expected ${fault}, got ok`);
  assert.deepEqual({ fault: d.fault, fatal: d.fatal, reason: d.reason }, { fault, fatal: true, reason: 'BAD_TIP' });
}

/** Real root headers R0 (genesis) < R1 < R2 by total difficulty, and a sibling of R1 with R1's TD. */
async function roots(): Promise<{ r0: RootHeader; r1: RootHeader; r2: RootHeader; r1Twin: RootHeader }> {
  const c = await chainSample();
  const r1 = c.rootBlocks[0]!.header;
  return { r0: c.rootGenesis, r1, r2: c.rootBlocks[1]!.header, r1Twin: { ...r1, createTime: r1.createTime + 1 } };
}

const at = (h: MinorHeader, height: number, branch = h.branch): MinorHeader => ({ ...h, height, branch });

test('tip rules: root TD may rise or repeat with the same hash; it may not fall', async () => {
  const { r0, r1, r2 } = await roots();
  assert.ok(r0.totalDifficulty < r1.totalDifficulty && r1.totalDifficulty < r2.totalDifficulty);
  const p = new PeerTips();
  assert.equal(p.rootTd, undefined);
  assert.deepEqual(p.onRootTip(r1), OK, 'the first tip');
  assert.deepEqual(p.onRootTip(r1), OK, 'the same tip again');
  assert.deepEqual(p.onRootTip(r2), OK, 'higher TD');
  expectTipFault(p.onRootTip(r1), 'P2P_ROOT_TD_DECREASED');
  expectTipFault(p.onRootTip(r0), 'P2P_ROOT_TD_DECREASED');
  assert.equal(p.rootTd, r2.totalDifficulty, 'a refused tip is not recorded');
  assert.deepEqual(p.onRootTip(r2), OK);
});

test('tip rules: the same root TD with another hash is a fault', async () => {
  const { r1, r1Twin, r2 } = await roots();
  assert.equal(r1Twin.totalDifficulty, r1.totalDifficulty);
  const p = new PeerTips();
  assert.deepEqual(p.onRootTip(r1), OK);
  expectTipFault(p.onRootTip(r1Twin), 'P2P_ROOT_TIP_CONFLICT');
  assert.deepEqual(p.onRootTip(r1), OK, 'the recorded tip is still r1');
  assert.deepEqual(p.onRootTip(r2), OK);
});

test('tip rules: under the same root tip a shard height may not fall; a new root tip resets it', async () => {
  const c = await chainSample();
  const { r1, r2, r1Twin } = await roots();
  const h = c.shardBlocks[2]!.header;
  assert.equal(h.branch, S4);
  const p = new PeerTips();
  assert.deepEqual(p.onShardTip(r1, at(h, 5)), OK);
  assert.deepEqual(p.onShardTip(r1, at(h, 5)), OK, 'same height (a sibling) under the same root');
  assert.deepEqual(p.onShardTip(r1, at(h, 6)), OK);
  expectTipFault(p.onShardTip(r1, at(h, 5)), 'P2P_SHARD_HEIGHT_DECREASED');
  assert.deepEqual(p.onShardTip(r1, at(h, 6)), OK, 'the refused height was not recorded');
  assert.deepEqual(p.onShardTip(r2, at(h, 3)), OK, 'a lower height under a higher root tip (the root chain reorganised the shard)');
  expectTipFault(p.onShardTip(r2, at(h, 2)), 'P2P_SHARD_HEIGHT_DECREASED');
  expectTipFault(p.onShardTip(r1, at(h, 9)), 'P2P_ROOT_TD_DECREASED');
  const q = new PeerTips();
  assert.deepEqual(q.onShardTip(r1, at(h, 2)), OK);
  expectTipFault(q.onShardTip(r1Twin, at(h, 3)), 'P2P_ROOT_TIP_CONFLICT');
});

test('tip rules: shards are tracked apart from each other and from root announcements', async () => {
  const c = await chainSample();
  const { r1, r2 } = await roots();
  const h = c.shardBlocks[2]!.header;
  const p = new PeerTips();
  assert.deepEqual(p.onShardTip(r1, at(h, 9, S4)), OK);
  assert.deepEqual(p.onShardTip(r1, at(h, 1, S5)), OK, 'another shard starts its own record');
  assert.deepEqual(p.onRootTip(r2), OK);
  assert.deepEqual(p.onShardTip(r1, at(h, 9, S4)), OK, 'a shard tip may carry a root tip older than the last root announcement');
  assert.equal(p.rootTd, r2.totalDifficulty);
});

test('tip rules: a HELLO records its root tip and every shard tip, and stops at the first fault', async () => {
  const c = await chainSample();
  const { r1, r2 } = await roots();
  const hello = sampleMessages(c).HELLO;
  assert.ok(hello.type === 'HELLO');
  const p = new PeerTips();
  assert.deepEqual(p.onHello(hello), OK);
  assert.equal(p.rootTd, hello.rootTip.totalDifficulty);
  const s4 = hello.shardTips.find((t) => t.branch === S4)!;
  expectTipFault(p.onShardTip(hello.rootTip, at(s4, s4.height - 1)), 'P2P_SHARD_HEIGHT_DECREASED');
  assert.equal(hello.rootTip, r2);
  const q = new PeerTips();
  assert.deepEqual(q.onRootTip(r2), OK);
  expectTipFault(q.onHello({ ...hello, rootTip: r1 }), 'P2P_ROOT_TD_DECREASED');
});
