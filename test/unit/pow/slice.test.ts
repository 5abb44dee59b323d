import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sealSlice } from '../../../src/pow/slice.js';
import { createJsSha256Kernel } from '../../../src/pow/sha256/jsKernel.js';
import { KERNEL_FACTORIES, selectKernel } from '../../../src/pow/select.js';
import { MAX_U256, NO_TARGET } from '../../../src/consensus/target.js';
import type { Kernel, SealJob } from '../../../src/pow/types.js';
import { oracleSearch } from './helpers.js';

const SEAL = new Uint8Array(32).fill(3);

/** A fake clock: every call advances 1 ms, so slices end after a known number of calls. */
function fakeClock(): () => number {
  let t = 0;
  return () => t++;
}

test('sealSlice: returns the oracle hit and the nonce after it', () => {
  const k = createJsSha256Kernel();
  const target = MAX_U256 >> 12n;
  const want = oracleSearch(SEAL, target, 100n, 100_000)!;
  const r = sealSlice(k, { sealHash: SEAL, target, startNonce: 100n }, 10_000);
  assert.equal(r.found?.nonce, want.nonce);
  assert.equal(r.hashes, want.hashes);
  assert.equal(r.nextNonce, want.nonce + 1n);
  assert.equal(r.stopped, false);
});

test('sealSlice: stops at the time budget, continues where it left off', () => {
  const k = createJsSha256Kernel();
  const job = { sealHash: SEAL, target: NO_TARGET, startNonce: 0n };
  const r = sealSlice(k, job, 5, { now: fakeClock() });
  assert.equal(r.found, null);
  assert.ok(r.hashes > 0);
  assert.equal(r.nextNonce, BigInt(r.hashes));
  assert.ok(r.elapsedMs >= 5);
});

test('sealSlice: shouldStop ends the slice between chunks', () => {
  let calls = 0;
  const counted: Kernel = { ...createJsSha256Kernel(), search(job: SealJob) { calls++; return inner.search(job); } };
  const inner = createJsSha256Kernel();
  const r = sealSlice(counted, { sealHash: SEAL, target: NO_TARGET, startNonce: 0n }, 1e9, { shouldStop: () => calls >= 3 });
  assert.equal(r.stopped, true);
  assert.equal(calls, 3);
});

test('selectKernel: auto logs one line naming the kernel; forced js is js', () => {
  const lines: string[] = [];
  const k = selectKernel('doublesha256', 'auto', (l) => lines.push(l));
  assert.equal(lines.length, 1);
  assert.match(lines[0]!, new RegExp(`^pow: doublesha256 kernel ${k.name} \\(`));
  const js = selectKernel('qkchash', 'js', (l) => lines.push(l));
  assert.equal(js.name, 'js');
  assert.throws(() => selectKernel('qkchash', 'wasm-simd', () => {}), (e: unknown) => (e as { code?: string }).code === 'KERNEL_UNAVAILABLE');
});

test('sealSlice: the chunk size ramps up to a fast kernel (few calls per slice)', () => {
  // A fake kernel hashing 50,000 nonces per ms of a fake clock: chunks start tiny (too short to
  // measure), so the estimate must ramp instead of staying at the initial guess.
  let clock = 0;
  let calls = 0;
  const fast: Kernel = {
    name: 'native', algo: 'doublesha256', variant: 'fake',
    search(job) { calls++; clock += job.count / 50_000; return { found: null, hashes: job.count }; },
  };
  const now = (): number => clock;
  sealSlice(fast, { sealHash: SEAL, target: NO_TARGET, startNonce: 0n }, 50, { now });
  calls = 0;
  const r = sealSlice(fast, { sealHash: SEAL, target: NO_TARGET, startNonce: 0n }, 50, { now });
  assert.ok(calls <= 8, `${calls} calls in a warm 50 ms slice`);
  assert.ok(r.elapsedMs >= 50 && r.elapsedMs <= 60, `slice took ${r.elapsedMs} fake ms`);
});

test('selectKernel: auto falls back native → wasm-simd → js and says why', () => {
  const broken = (): { error: string } => ({ error: 'no addon here' });
  const lines: string[] = [];
  const k = selectKernel('doublesha256', 'auto', (l) => lines.push(l), { ...KERNEL_FACTORIES, native: broken });
  assert.equal(k.name, 'wasm-simd');
  assert.equal(lines[0], `pow: doublesha256 kernel wasm-simd (${k.variant}); skipped native: no addon here`);
  const js = selectKernel('doublesha256', 'auto', (l) => lines.push(l), { ...KERNEL_FACTORIES, native: broken, 'wasm-simd': broken });
  assert.equal(js.name, 'js');
  assert.match(lines[1]!, /skipped native: no addon here; wasm-simd: no addon here$/);
  assert.throws(() => selectKernel('doublesha256', 'native', () => {}, { ...KERNEL_FACTORIES, native: broken }),
    (e: unknown) => (e as { code?: string }).code === 'KERNEL_UNAVAILABLE');
});
