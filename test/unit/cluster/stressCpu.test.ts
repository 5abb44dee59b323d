/** CPU per confirmed transfer (issue 16): per-thread clocks read and split by thread kind. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuReport, readThreadClocks, type CpuMark } from '../../../src/cluster/stressCpu.js';
import { osThreadId } from '../../../src/pow/threadCpu.js';

test('stressCpu: splits the window\'s CPU into shard threads, the main thread and the rest, per transfer', () => {
  const pid = process.pid;
  const start: CpuMark = { clocks: new Map([[pid, 1_000_000], [pid + 1, 0], [pid + 2, 5_000_000]]), shards: [{ osThreadId: pid + 1, recoveries: 10 }], pool: 7 };
  // pid + 3 started inside the window: all its time counts.
  const end: CpuMark = { clocks: new Map([[pid, 3_000_000], [pid + 1, 10_000_000], [pid + 2, 6_000_000], [pid + 3, 1_000_000]]), shards: [{ osThreadId: pid + 1, recoveries: 110 }], pool: 5 };
  const r = cpuReport(start, end, 100, 70);
  assert.deepEqual(r, { usPerTx: 140, shardUsPerTx: 100, mainUsPerTx: 20, otherUsPerTx: 20, recoverUs: 70, recoveriesPerTx: 1, txs: 100, poolAtStart: 7, poolAtEnd: 5, measured: true });
});

test('stressCpu: without per-thread clocks the CPU figures are 0 and say so; no transfer gives 0, not NaN', () => {
  const none: CpuMark = { clocks: null, shards: [{ osThreadId: null, recoveries: 0 }], pool: 0 };
  assert.equal(cpuReport(none, none, 10, 70).measured, false);
  const m: CpuMark = { clocks: new Map(), shards: [], pool: 0 };
  assert.equal(cpuReport(m, m, 0, 70).usPerTx, 0);
});

test('stressCpu: this thread\'s clock is among the process\'s and advances with work', { skip: process.platform !== 'linux' }, () => {
  const tid = osThreadId();
  assert.equal(tid, process.pid, 'the main thread\'s id is the process id');
  const a = readThreadClocks()!.get(tid!)!;
  let x = 0;
  for (let i = 0; i < 5_000_000; i++) x += i % 7;
  assert.ok(x > 0);
  const b = readThreadClocks()!.get(tid!)!;
  assert.ok(b > a, `${a} → ${b}`);
});
