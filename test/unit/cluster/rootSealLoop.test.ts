/**
 * The root sealing loop's decisions with a fake clock and a fake sealer: hold while syncing, wait
 * while the tip is ahead, rebuild on a new tip, new committed headers or after one second, seal
 * on otherwise; a found seal is added with its nonce, and a seal found while a sync began is dropped.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../src/core/config.js';
import type { RootBlock } from '../../../src/core/rootBlock.js';
import { rootGenesis } from '../../../src/consensus/genesis.js';
import type { SealRequest, SealSliceResult } from '../../../src/pow/sealerPool.js';
import { CANDIDATE_MAX_AGE_MS } from '../../../src/pow/sealSchedule.js';
import { ROOT_HOLD_POLL_MS, ROOT_SEAL_SLICE_MS, RootSealLoop, rootSealStep, type Clock, type RootSealView } from '../../../src/cluster/rootSealLoop.js';

const T0 = 1_700_000_000_000;
const base: RootSealView = { syncing: false, nowMs: T0, tipKey: 'a', tipCreateTime: T0 / 1000 - 1, headersSeen: 3, candidate: { madeAtMs: T0, gen: 3, tipKey: 'a' } };

test('rootSealStep: hold while syncing, wait for a tip ahead of the clock, rebuild a stale candidate, else seal on', () => {
  assert.deepEqual(rootSealStep(base), { kind: 'seal' });
  assert.deepEqual(rootSealStep({ ...base, syncing: true }), { kind: 'hold' });
  assert.deepEqual(rootSealStep({ ...base, tipCreateTime: T0 / 1000 + 1, nowMs: T0 + 400 }), { kind: 'wait', ms: 600 });
  assert.deepEqual(rootSealStep({ ...base, candidate: null }), { kind: 'build' });
  assert.deepEqual(rootSealStep({ ...base, tipKey: 'b' }), { kind: 'build' }, 'a new tip');
  assert.deepEqual(rootSealStep({ ...base, headersSeen: 4 }), { kind: 'build' }, 'new committed headers');
  assert.deepEqual(rootSealStep({ ...base, nowMs: T0 + CANDIDATE_MAX_AGE_MS }), { kind: 'build' }, 'one second old');
  assert.deepEqual(rootSealStep({ ...base, nowMs: T0 + CANDIDATE_MAX_AGE_MS - 1 }), { kind: 'seal' });
});

/** A clock whose sleep advances time at once (and yields, so stop() can interleave). */
function fakeClock(): Clock & { slept: number[] } {
  let t = T0;
  const slept: number[] = [];
  return { slept, now: () => t, sleep: async (ms) => { slept.push(ms); t += ms; await new Promise((r) => setImmediate(r)); } };
}

interface Harness {
  readonly loop: RootSealLoop;
  readonly clock: ReturnType<typeof fakeClock>;
  readonly builds: number[];
  readonly seals: SealRequest[];
  readonly added: RootBlock[];
  state: { syncing: boolean; tipKey: string; headers: number; findAt: number; syncOnFind: boolean };
}

function harness(): Harness {
  const cfg = defaultConfig({ shards: 2, algo: 'doublesha256' });
  const g = rootGenesis(cfg);
  const clock = fakeClock();
  const h: Harness = {
    clock, builds: [], seals: [], added: [],
    state: { syncing: false, tipKey: 'a', headers: 0, findAt: Number.POSITIVE_INFINITY, syncOnFind: false },
    loop: null as unknown as RootSealLoop,
  };
  const seal = async (job: SealRequest, maxMs: number): Promise<SealSliceResult> => {
    assert.equal(maxMs, ROOT_SEAL_SLICE_MS);
    h.seals.push(job);
    clock.slept.push(0);
    await clock.sleep(maxMs);
    const found = h.seals.length >= h.state.findAt;
    if (found && h.state.syncOnFind) h.state.syncing = true;
    return { found: found ? { nonce: job.startNonce + 5n, mixhash: new Uint8Array(32).fill(9), digest: new Uint8Array(32) } : null, hashes: 10, nextNonce: job.startNonce + 10n };
  };
  (h as { loop: RootSealLoop }).loop = new RootSealLoop({
    tip: () => ({ key: h.state.tipKey, createTime: T0 / 1000 - 1 }),
    headersSeen: () => h.state.headers,
    syncing: () => h.state.syncing,
    build: (nowSec) => { h.builds.push(nowSec); return { ...g, header: { ...g.header, height: h.builds.length, createTime: nowSec } }; },
    seal,
    add: async (rb) => { h.added.push(rb); h.state.tipKey = `tip${h.added.length}`; },
    log: () => undefined,
    clock, rand: () => 0.5,
  });
  return h;
}

async function runUntil(h: Harness, cond: () => boolean): Promise<void> {
  h.loop.start();
  for (let i = 0; i < 10_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  await h.loop.stop();
  assert.ok(cond(), 'the loop got there');
}

test('RootSealLoop: one candidate per second, continuing nonces, rebuilt on new committed headers', async () => {
  const h = harness();
  // 200 ms slices: five slices on one candidate, then the one-second rebuild.
  await runUntil(h, () => h.seals.length >= 7);
  assert.equal(h.builds.length, 2, `builds at ${h.builds}`);
  assert.equal(h.builds[1]! - h.builds[0]!, 1, 'the rebuilt candidate takes the clock\'s new second');
  for (let i = 1; i < h.seals.length; i++) assert.equal(h.seals[i]!.startNonce, h.seals[i - 1]!.startNonce + 10n, 'each slice continues where the last ended');
  assert.equal(h.loop.hashes, 10 * h.seals.length);
  const h2 = harness();
  h2.loop.start();
  for (let i = 0; i < 100 && h2.seals.length < 1; i++) await new Promise((r) => setImmediate(r));
  h2.state.headers++;
  for (let i = 0; i < 1000 && h2.seals.length < 2; i++) await new Promise((r) => setImmediate(r));
  await h2.loop.stop();
  assert.equal(h2.builds.length, 2, 'a new committed header rebuilds at once');
});

test('RootSealLoop: a found seal is added with its nonce and mixhash, then the next candidate is built on the new tip', async () => {
  const h = harness();
  h.state.findAt = 2;
  await runUntil(h, () => h.added.length >= 1 && h.builds.length >= 2);
  const rb = h.added[0]!;
  assert.equal(rb.header.nonce, h.seals[1]!.startNonce + 5n);
  assert.deepEqual(rb.header.mixhash, new Uint8Array(32).fill(9));
  assert.equal(rb.header.height, 1, 'the candidate that was sealed');
});

test('RootSealLoop: nothing is built or sealed while syncing; a seal found as a sync begins is dropped', async () => {
  const h = harness();
  h.state.syncing = true;
  h.loop.start();
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  assert.equal(h.builds.length + h.seals.length, 0);
  assert.ok(h.clock.slept.length > 0 && h.clock.slept.every((ms) => ms === ROOT_HOLD_POLL_MS), 'held, polling');
  h.state.syncing = false;
  h.state.findAt = 1;
  h.state.syncOnFind = true;
  for (let i = 0; i < 1000 && h.seals.length < 1; i++) await new Promise((r) => setImmediate(r));
  for (let i = 0; i < 50; i++) await new Promise((r) => setImmediate(r));
  await h.loop.stop();
  assert.equal(h.seals.length, 1);
  assert.equal(h.added.length, 0, 'sealed on a tip the sync is replacing: not added');
  assert.equal(h.loop.isRunning, false);
});
