import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterTax, rootCoinbaseAmount, rootShareOf } from '../../../src/consensus/rewards.js';

test('rewards: tax ½ splits evenly and the root share equals the shard amount', () => {
  const half = { num: 1n, den: 2n };
  assert.equal(afterTax(10n, half), 5n);
  assert.equal(afterTax(11n, half), 5n); // floor, fixed in one place
  assert.equal(rootShareOf(5n, half), 5n);
  assert.equal(rootCoinbaseAmount(120n, [5n, 7n], half), 132n);
});

test('rewards: other tax rates use integer fractions', () => {
  const t = { num: 1n, den: 4n }; // 25 % to the root
  assert.equal(afterTax(100n, t), 75n);
  assert.equal(rootShareOf(75n, t), 25n);
  assert.equal(rootShareOf(76n, t), 25n);
  assert.equal(afterTax(100n, { num: 0n, den: 1n }), 100n);
  assert.equal(rootShareOf(100n, { num: 0n, den: 1n }), 0n);
});
