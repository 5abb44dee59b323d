/**
 * Stress benchmark (issue 6 targets): confirmed signed transfers per second through the real node
 * (8 shards, 50 % cross-shard, signature checks on) against the sender-recovery rate of one core
 * measured in the same run. Prints one stable line.
 * CPU per confirmed transfer (issue 16): whole process and split by thread kind, from the
 * per-thread CPU clocks over the window, beside one recovery's cost (`recoverUs`) and the sender
 * recoveries the shards ran per transfer (≥ 1: nothing skips the signature check).
 * Memory: peak process RSS, its growth over the second half of the window and the largest
 * thread heap peak (run 600 s at `rate` 10000 for the 10-minute boundedness check).
 * With `node --expose-gc`, also every thread's live heap (after a full GC) summed, at the
 * window's start, middle and end: flat memory shows as mid ≈ end.
 *   node --expose-gc dist/bench/stress.js [durationSec=30] [shards=8] [rate=max]
 */
import { availableParallelism } from 'node:os';
import { runStress } from '../src/cli/stress.js';
import { useFastKeccak } from '../src/crypto/keccakWasm.js';
import { measureRecovery } from '../src/crypto/recoverBench.js';
import { threadCpuPreciseMs } from '../src/pow/threadCpu.js';
import { secpBackendName } from '../src/crypto/secp256k1.js';

/** Signatures recovered for the reference rate. */
const RECOVERIES = 20_000;

const duration = Number(process.argv[2] ?? 30);
const shards = Number(process.argv[3] ?? 8);
const rateArg = process.argv[4] ?? 'max';
const rate = rateArg === 'max' ? 0 : Number(rateArg);
await useFastKeccak();
const recovery = measureRecovery(RECOVERIES, threadCpuPreciseMs);
/** Recoveries per second of one core (wall time: the reference of the ratios). */
const perCore = 1e6 / recovery.wallUs;
const r = await runStress({
  chains: 1, shards, accounts: 1024, xshardPercent: 50, rate, durationSec: duration, warmupSec: 5, drainTimeoutSec: 120,
  algo: 'simulate', datadir: null, log: () => undefined, liveHeap: true, recoverUs: recovery.cpuUs,
});
const cores = availableParallelism();
const heapMax = Math.max(...r.memory.threads.map((t) => t.peakHeapUsedMB));
const threadMax = Math.max(...r.memory.threads.map((t) => t.peakHeapTotalMB + t.peakArrayBuffersMB));
const live = r.memory.live;
const sumLive = (f: (t: NonNullable<typeof live>[number]) => number): string => (live ? live.reduce((a, t) => a + f(t), 0).toFixed(0) : '');
const liveText = live ? `liveHeapAllThreads start/mid/end=${sumLive((t) => t.startMB)}/${sumLive((t) => t.midMB)}/${sumLive((t) => t.endMB)}MB` : 'liveHeap=n/a(run node --expose-gc)';
process.stdout.write(
  `stress shards=${shards} rate=${rateArg} presigned=${r.presignedUsedAll ? 'exhausted' : 'all'} xshard=${(r.xshardShare * 100).toFixed(0)}% window=${r.window.seconds}s confirmedTps=${r.confirmedTps.toFixed(0)} ` +
  `recover=${perCore.toFixed(0)}/s/core(${secpBackendName()}) ratio1core=${(r.confirmedTps / perCore).toFixed(2)} ratio${cores}cores=${(r.confirmedTps / (perCore * cores)).toFixed(2)} ` +
  `cpuUsPerTx=${r.cpu.usPerTx.toFixed(1)} cpuShardUsPerTx=${r.cpu.shardUsPerTx.toFixed(1)} cpuMainUsPerTx=${r.cpu.mainUsPerTx.toFixed(1)} cpuOtherUsPerTx=${r.cpu.otherUsPerTx.toFixed(1)} ` +
  `recoverUs=${r.cpu.recoverUs.toFixed(1)} recoveriesPerTx=${r.cpu.recoveriesPerTx.toFixed(2)} poolAtWindowStart/End=${r.cpu.poolAtStart}/${r.cpu.poolAtEnd} ` +
  `latency p50/p99=${r.latency.p50.toFixed(1)}/${r.latency.p99.toFixed(1)}s rootBlocks p99=${r.latencyRootBlocks.p99} lost=${r.lost} conservation=${r.conservation.ok ? 'ok' : 'FAILED'} ` +
  `peakRss=${r.memory.peakRssMB.toFixed(0)}MB rss=${r.memory.windowStartRssMB.toFixed(0)}->${r.memory.windowEndRssMB.toFixed(0)}MB ` +
  `growth2ndHalf=${r.memory.rssGrowthMBPerMin.toFixed(1)}MB/min maxThreadHeapPeak=${heapMax.toFixed(0)}MB maxThreadFootprint=${threadMax.toFixed(0)}MB ${liveText}\n`,
);
