/**
 * A short run of the fuzz harness (bench/fuzz.ts) in npm test: every decoder and RPC parameter
 * parser keeps its property on a few thousand seeded inputs. And the property checker itself
 * bites: a decoder that re-encodes differently, or throws a raw error, is reported.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { runFuzz } from '../../../bench/fuzz/run.js';
import { fuzzSamples } from '../../../bench/fuzz/samples.js';
import { checkBinary, checkParam } from '../../../bench/fuzz/targets.js';

/** Inputs of the short run: enough to reach every target's refusal paths, a few seconds. */
const SHORT_RUN = 6_000;

test('fuzz: every decoder and parameter parser keeps its property on a short seeded run', async () => {
  const r = runFuzz(await fuzzSamples(), SHORT_RUN, 20_261_204, fc);
  assert.equal(r.failure, null, r.failure ?? '');
  assert.ok(r.decoded > 0 && r.refused > 0, `both outcomes seen: ${r.line}`);
});

test('fuzz: the properties catch a decoder that re-encodes differently or throws a raw error, and a parser that throws', () => {
  const lossy = { name: 'lossy', valid: [Uint8Array.of(1, 2)], roundTrip: (b: Uint8Array) => b.subarray(1) };
  assert.match(checkBinary(lossy, Uint8Array.of(1, 2)), /re-encodes to other bytes/);
  const raw = { name: 'raw', valid: [Uint8Array.of(1)], roundTrip: (): Uint8Array => { throw new RangeError('offset'); } };
  assert.match(checkBinary(raw, Uint8Array.of(1)), /raw RangeError/);
  assert.match(checkParam({ name: 'p', parse: () => { throw new TypeError('x'); } }, 1), /threw TypeError/);
});
