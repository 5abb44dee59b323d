/**
 * Crash recovery (issue 3; the harness is bench/crash.ts): a child `mine --tx-rate …` on disk is
 * killed with SIGKILL at 3 seeded random instants while cross-shard transfers flow; after each
 * restart no reported height went backwards and conservation holds exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCrash } from '../../bench/crash/crashRun.js';

/** The short version the issue asks of npm test. */
const KILLS = 3;
const SEED = 12345;

test('crash: SIGKILL at random instants loses no stored block and keeps conservation', { timeout: 180_000 }, async () => {
  const r = await runCrash(KILLS, SEED);
  assert.equal(r.failure, null, r.failure ?? '');
  assert.match(r.line, new RegExp(`kills=${KILLS}/${KILLS} `));
  const root = Number(/final=root (\d+)/.exec(r.line)?.[1] ?? 0);
  assert.ok(root >= 2, `the chain advanced across the crashes: ${r.line}`);
});
