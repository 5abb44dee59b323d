// Tests of src/cli/benchReport.ts (pure parts of `shardminer bench`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { humanLine, medianTrial, parseAlgos, parseThreads, si, summarize, type BenchDoc } from '../../../src/cli/benchReport.js';

const code = (fn: () => unknown): string => {
  try { fn(); } catch (e) { return (e as { code: string }).code; }
  return 'OK';
};

test('bench flags: --threads N | N,M | all, deduplicated; --algo', () => {
  assert.deepEqual(parseThreads('1,all', 2), [1, 2]);
  assert.deepEqual(parseThreads('all', 1), [1]);
  assert.deepEqual(parseThreads('1,all', 1), [1]);
  assert.deepEqual(parseThreads('4,2', 2), [4, 2]);
  for (const bad of ['0', 'x', '1,,2', '-1', '1.5']) assert.equal(code(() => parseThreads(bad, 2)), 'BAD_FLAG', bad);
  assert.deepEqual(parseAlgos('all'), ['doublesha256', 'qkchash']);
  assert.deepEqual(parseAlgos('qkchash'), ['qkchash']);
  assert.equal(code(() => parseAlgos('ethash')), 'BAD_FLAG');
});

test('bench stats: min/median/max and the median trial', () => {
  assert.deepEqual(summarize([3, 1, 2]), { min: 1, median: 2, max: 3 });
  assert.deepEqual(summarize([4, 1, 2, 3]), { min: 1, median: 2.5, max: 4 });
  const trials = [5, 9, 7].map((total) => ({ total, perThread: [total], hashes: total, wallMs: 1000, cpuShare: null, perThreadCpu: null }));
  assert.equal(medianTrial(trials)?.total, 7);
  assert.equal(si(51_234_567), '51.23 MH/s');
  assert.equal(si(2400), '2.40 kH/s');
  assert.equal(si(12), '12.00 H/s');
});

test('bench human line names algo, kernel, variant, threads, totals, reference ratio and checksum', () => {
  const doc: BenchDoc = {
    algo: 'doublesha256', kernel: 'native', variant: 'avx2x8', threads: 2,
    hashrate: { total: 2e7, perThread: [1e7, 1e7], unit: 'H/s', min: 1.9e7, median: 2e7, max: 2.1e7 },
    trials: [], reference: { name: 'ref', hashrate: 5e6 }, efficiency: 2, checksum: 'abcd', warmupSec: 3, durationSec: 10,
    cpu: { model: 'x', threads: 2, features: null }, node: 'v20',
  };
  assert.match(humanLine(doc), /^doublesha256 native \(avx2x8\) threads=2: total 20\.00 MH\/s .*reference 5\.00 MH\/s → 2\.00× per thread; checksum abcd$/);
  const busy = { ...doc, trials: [{ total: 2e7, perThread: [1e7, 1e7], hashes: 2e8, wallMs: 10_000, cpuShare: 0.5, perThreadCpu: [2e7, 2e7] }] };
  assert.match(humanLine(busy), /checksum abcd; machine busy: threads got 50% of their wall time \(per CPU-second 20\.00 MH\/s \/ 20\.00 MH\/s\)$/);
});
