import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextDifficulty } from '../../../src/consensus/difficulty.js';
import type { ChainError } from '../../../src/core/errors.js';

// QuarkChain's minor constants: cutoff 7, factor 512 (chain_rules §5.1).
const QKC_MINOR = { cutoff: 7, factor: 512, minimumDifficulty: 1000n };
const D = 1_000_000n;
const STEP = D / 512n; // 1953

test('difficulty: QuarkChain table (cutoff 7, factor 512)', () => {
  const rows: [number, bigint][] = [
    [1, D + STEP], [6, D + STEP], // sign +1 for dt < cutoff
    [7, D], [13, D], // sign 0
    [14, D - STEP], [20, D - STEP], // sign −1
    [21, D - 2n * STEP],
    [7 * 100, D - 99n * STEP], // sign clamps at −99
    [7 * 1000, D - 99n * STEP],
  ];
  for (const [dt, want] of rows) assert.equal(nextDifficulty(D, 100, 100 + dt, QKC_MINOR), want, `dt=${dt}`);
});

test('difficulty: never below the minimum', () => {
  assert.equal(nextDifficulty(1100n, 0, 10_000, QKC_MINOR), 1000n);
  assert.equal(nextDifficulty(1000n, 0, 100, QKC_MINOR), 1000n);
  // a minimum separate from genesis: local default is genesis / 16
  assert.equal(nextDifficulty(64n, 0, 1000, { cutoff: 2, factor: 64, minimumDifficulty: 4n }), 4n);
});

test('difficulty: local defaults (cutoff 2, factor 64)', () => {
  const p = { cutoff: 2, factor: 64, minimumDifficulty: 1n };
  assert.equal(nextDifficulty(6400n, 0, 1, p), 6500n);
  assert.equal(nextDifficulty(6400n, 0, 2, p), 6400n);
  assert.equal(nextDifficulty(6400n, 0, 3, p), 6400n);
  assert.equal(nextDifficulty(6400n, 0, 4, p), 6300n);
});

test('difficulty: requires time after the parent', () => {
  assert.throws(() => nextDifficulty(D, 100, 100, QKC_MINOR), (e: ChainError) => e.code === 'TIME_NOT_AFTER_PARENT');
});
