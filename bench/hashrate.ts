/**
 * Sealing benchmark (DESIGN §13): prints ONE stable line of ratios measured side by side in one run:
 * each doublesha256 kernel per thread against the single-stream node:crypto SHA-256 reference
 * (÷ 128 B per nonce) and against a plain sha256(sha256(x)) node:crypto loop, 2 threads vs 1 for
 * the preferred kernel, qkchash per thread against the plain algorithm and 2 threads vs 1, and
 * the share of the kernel's rate kept by cooperative sealing (50 ms sealSlice + event-loop yield).
 *   node dist/bench/hashrate.js [--warmup S] [--duration S] [--trials N]   (defaults 2, 4, 3)
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { benchOne, type BenchPlan } from '../src/cli/bench.js';
import { measureQkchashReference, measureSha256Reference, medianTrial, si, type BenchDoc } from '../src/cli/benchReport.js';
import { KERNEL_FACTORIES, selectKernel } from '../src/pow/select.js';
import { sealSlice } from '../src/pow/slice.js';
import { NO_TARGET } from '../src/consensus/target.js';
import type { KernelName } from '../src/pow/types.js';

const PLAIN_LOOP_MS = 1000;
const SLICE_MS = 50;
const SLICE_TEST_MS = 3000;

const cpuMs = (since: NodeJS.CpuUsage): number => { const c = process.cpuUsage(since); return (c.user + c.system) / 1000; };

/**
 * Nonces per CPU-millisecond of 50 ms sealSlice calls with an event-loop yield between (the shard
 * sealing loop, DESIGN §1) ÷ the same for back-to-back searches. CPU time, not wall time, so
 * other processes on the machine do not skew the ratio.
 */
async function sliceRetention(): Promise<number> {
  const k = selectKernel('doublesha256', 'auto', () => undefined);
  const job = { sealHash: new Uint8Array(32).fill(3), target: NO_TARGET };
  let n = 0n, h = 0;
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  while (performance.now() - t0 < SLICE_TEST_MS) { const r = k.search({ ...job, startNonce: n, count: 1 << 20 }); h += r.hashes; n += BigInt(r.hashes); }
  const plainRate = h / cpuMs(c0);
  h = 0;
  c0 = process.cpuUsage();
  t0 = performance.now();
  while (performance.now() - t0 < SLICE_TEST_MS) {
    const r = sealSlice(k, { ...job, startNonce: n }, SLICE_MS);
    h += r.hashes; n = r.nextNonce;
    await new Promise((res) => setImmediate(res));
  }
  return h / cpuMs(c0) / plainRate;
}

/** node:crypto sha256(sha256(sealHash ‖ nonce)) one nonce at a time: what a naive miner does. */
function plainLoopRate(): number {
  const m = Buffer.alloc(40, 7);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < PLAIN_LOOP_MS) {
    m.writeUInt32BE(n++, 36);
    createHash('sha256').update(createHash('sha256').update(m).digest()).digest();
  }
  return n / ((performance.now() - t0) / 1000);
}

/**
 * Scaling two ways: wall-time totals (what the user gets on this machine now) and the sum of
 * per-thread rates per CPU-second (what it gets when the cores are free; robust to other load).
 */
function scaling(one: BenchDoc, two: BenchDoc): string {
  const wall = two.hashrate.total / one.hashrate.total;
  const c1 = medianTrial(one.trials)?.perThreadCpu, c2 = medianTrial(two.trials)?.perThreadCpu;
  const cpu = c1 && c2 ? c2.reduce((a, b) => a + b, 0) / c1.reduce((a, b) => a + b, 0) : null;
  const share = medianTrial(two.trials)?.cpuShare;
  return `2t/1t=${wall.toFixed(3)}` + (cpu === null ? '' : ` cpu-normalised=${cpu.toFixed(3)} (cpu share ${share!.toFixed(2)})`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { warmup: { type: 'string', default: '2' }, duration: { type: 'string', default: '4' }, trials: { type: 'string', default: '3' } } });
  const base = { warmupSec: Number(values.warmup), durationSec: Number(values.duration), trials: Number(values.trials), threads: [] as number[], algos: [] };
  const plan = (kernel: KernelName | 'auto'): BenchPlan => ({ ...base, kernel });
  const ref = measureSha256Reference();
  const plain = plainLoopRate();
  const parts: string[] = [`ref=${si(ref.hashrate)} plain=${si(plain)}`];
  for (const k of ['native', 'wasm-simd', 'js'] as const) {
    if ('error' in KERNEL_FACTORIES[k]('doublesha256')) { parts.push(`${k}=n/a`); continue; }
    const d = await benchOne(plan(k), 'doublesha256', 1, ref);
    parts.push(`${k}(${d.variant})=${si(d.hashrate.total)} x${(d.hashrate.total / ref.hashrate).toFixed(2)}ref x${(d.hashrate.total / plain).toFixed(1)}plain`);
  }
  const one = await benchOne(plan('auto'), 'doublesha256', 1, ref);
  const two = await benchOne(plan('auto'), 'doublesha256', 2, ref);
  parts.push(`${scaling(one, two)} (${one.kernel})`);
  const qref = measureQkchashReference();
  const q1 = await benchOne(plan('auto'), 'qkchash', 1, qref);
  const q2 = await benchOne(plan('auto'), 'qkchash', 2, qref);
  parts.push(`qkchash ${q1.kernel}=${si(q1.hashrate.total)} x${(q1.hashrate.total / qref.hashrate).toFixed(1)}plain ${scaling(q1, q2)}`);
  parts.push(`slice50ms/plain(cpu)=${(await sliceRetention()).toFixed(3)}`);
  process.stdout.write(`hashrate ${parts.join(' | ')}\n`);
}

void main();
