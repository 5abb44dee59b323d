/**
 * The stress run (issue 6) on a started node (real workers, rings and signature checks): drives
 * every shard's load generator, drains, and reports throughput counted from blocks, cross-shard
 * latency (seconds and root blocks), loss and the exact conservation equation. The node itself
 * is started by the caller through src/node.ts (`stressCoordinatorOptions` gives its options).
 */
import { availableParallelism } from 'node:os';
import { GENESIS_ROOT_HEIGHT } from '../consensus/applyDeposits.js';
import type { Conservation } from '../consensus/conservation.js';
import { measureRecovery } from '../crypto/recoverBench.js';
import { threadCpuPreciseMs } from '../pow/threadCpu.js';
import type { ChainWindow, ThreadLoad } from '../shard/protocol.js';
import type { Coordinator, NodeStatus } from './coordinator.js';
import { RateWindow } from './rateWindow.js';
import { cpuMark } from './stressCpu.js';
import { MAX_RATE_PER_CORE, POLL_MS, RECOVER_SAMPLES, PRESIGN_HEADROOM, PRESIGN_TOTAL_CAP, ROOT_WAIT_POLL_MS, STOPPED_DRAIN_SEC, type StressOptions, type StressProgress } from './stressConfig.js';
import { liveHeaps, MemoryTrack, threadName } from './stressMemory.js';
import { join, summarize, type StressResult } from './stressResult.js';

export { STRESS_SHARD_BLOCK_TIME, stressConfig, stressCoordinatorOptions, type StressOptions, type StressProgress } from './stressConfig.js';
export { percentiles, type Percentiles, type StressResult } from './stressResult.js';
export { slope, type MemoryReport } from './stressMemory.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const poolOf = (st: NodeStatus): number => st.shards.reduce((a, s) => a + s.poolSize, 0);

export async function runStressOn(node: Coordinator, o: StressOptions): Promise<StressResult> {
  const cfg = node.config;
  const recoverUs = o.recoverUs ?? measureRecovery(RECOVER_SAMPLES, threadCpuPreciseMs).cpuUs;
  const started = Date.now();
  const elapsed = (): number => (Date.now() - started) / 1000;
  const n = node.shardIds.length;
  const ratePerShard = o.rate > 0 ? o.rate / n : 0;
  // + 1 s: the window starts on the next whole second after the warm-up.
  const runSec = o.warmupSec + o.durationSec + 1;
  const expectedTotal = (o.rate > 0 ? o.rate : MAX_RATE_PER_CORE * availableParallelism()) * runSec * PRESIGN_HEADROOM;
  const presign = o.presign ?? Math.min(Math.ceil(expectedTotal / n), Math.floor(PRESIGN_TOTAL_CAP / n));
  const memory = new MemoryTrack();
  const rssMB = (): number => process.memoryUsage.rss() / 2 ** 20;
  const preparing = (st: NodeStatus, phase: 'prepare' | 'root'): void => {
    const presigned = st.shards.reduce((a, s) => a + s.stressPresigned, 0);
    o.progress?.({ phase, elapsedSec: elapsed(), submitted: 0, confirmed: 0, tps: 0, pendingDeposits: 0, pool: 0, rssMB: rssMB(), presigned });
  };
  const preparation = node.eachShard((s) => s.stressPrepare({ ratePerShard, xshardPercent: o.xshardPercent, presign }));
  // Settles true when pre-signing ends (either way; its error is rethrown just below).
  const prepDone = preparation.then(() => true, () => true);
  while (o.progress) {
    preparing(await node.status(), 'prepare');
    if (await Promise.race([prepDone, sleep(POLL_MS).then(() => false)])) break;
  }
  const prepared = await preparation;
  await node.setMining(true, 0);
  // Cross-shard transfers are valid only once a shard has a root block past genesis (chain_rules
  // §2): load before it would stall every sender behind its first cross-shard nonce.
  for (let st = await node.status(); st.shards.some((s) => s.rootHeight <= GENESIS_ROOT_HEIGHT) && o.signal?.aborted !== true; st = await node.status()) {
    preparing(st, 'root');
    await sleep(ROOT_WAIT_POLL_MS);
  }
  await node.eachShard((s) => s.stressRun(true));
  const rate = new RateWindow(10);
  /** When the measured window ends (ms), once the warm-up has fixed its start. */
  let windowEnd: number | undefined;
  const progress = async (phase: StressProgress['phase']): Promise<void> => {
    if (memory.due(Date.now())) {
      const loads = await node.eachShard((s) => s.load());
      const m = process.memoryUsage();
      memory.add(Date.now(), m.rss / 2 ** 20, [
        { name: 'coordinator', heapUsedMB: m.heapUsed / 2 ** 20, heapTotalMB: m.heapTotal / 2 ** 20, arrayBuffersMB: m.arrayBuffers / 2 ** 20 },
        ...loads.map((l, i) => ({ name: threadName(node.shardIds[i]!), ...l })),
      ]);
    }
    if (!o.progress) return;
    const st = await node.status();
    const pool = poolOf(st);
    const pending = st.shards.reduce((a, s) => a + s.pendingDeposits, 0);
    const confirmed = st.shards.reduce((a, s) => a + s.txsConfirmed, 0);
    const submitted = st.shards.reduce((a, s) => a + s.stressSubmitted, 0);
    const presigned = st.shards.reduce((a, s) => a + s.stressPresigned, 0);
    rate.add(Date.now() / 1000, confirmed);
    const leftSec = Math.max(0, ((windowEnd ?? Date.now() + (o.warmupSec + o.durationSec) * 1000) - Date.now()) / 1000);
    o.progress({ phase, elapsedSec: elapsed(), submitted, confirmed, tps: rate.rate(10), pendingDeposits: pending, pool, rssMB: rssMB(), presigned, leftSec });
  };
  const stopped = (): boolean => o.signal?.aborted === true;
  const phaseUntil = async (phase: StressProgress['phase'], untilMs: number): Promise<void> => {
    while (Date.now() < untilMs && !stopped()) { await sleep(Math.min(POLL_MS, untilMs - Date.now())); await progress(phase); }
  };
  await phaseUntil('warmup', Date.now() + o.warmupSec * 1000);
  const t0 = Math.ceil(Date.now() / 1000);
  windowEnd = (t0 + o.durationSec) * 1000;
  await phaseUntil('warmup', t0 * 1000);
  const liveStart = o.liveHeap ? await liveHeaps(node) : null;
  const cpuStart = cpuMark(await node.eachShard((s) => s.load()), poolOf(await node.status()));
  if (o.injectInvalid) await node.eachShard((s) => s.stressInject(o.injectInvalid!));
  await phaseUntil('measure', (t0 + o.durationSec / 2) * 1000);
  const liveMid = liveStart ? await liveHeaps(node) : null;
  await phaseUntil('measure', (t0 + o.durationSec) * 1000);
  const stoppedEarly = stopped();
  const t1 = stoppedEarly ? Math.max(t0, Math.min(t0 + o.durationSec, Math.floor(Date.now() / 1000))) : t0 + o.durationSec;
  const cpuEnd = cpuMark(await node.eachShard((s) => s.load()), poolOf(await node.status()));
  const liveEnd = liveStart ? await liveHeaps(node) : null;
  await node.eachShard((s) => s.stressRun(false));
  // Drain: every accepted transfer confirmed (cross-shard: deposit applied) or the timeout.
  const drainEnd = Date.now() + (stoppedEarly ? Math.min(o.drainTimeoutSec, STOPPED_DRAIN_SEC) : o.drainTimeoutSec) * 1000;
  let drained = false;
  while (Date.now() < drainEnd) {
    const reports = await node.eachShard((s) => s.stressReport(false));
    const j = join(reports);
    const pool = reports.reduce((a, r) => a + r.pendingInPool, 0);
    if (pool === 0 && j.applied === j.xAccepted) { drained = true; break; }
    await progress('drain');
    await sleep(POLL_MS);
  }
  await node.setMining(false);
  const reports = await node.eachShard((s) => s.stressReport(true));
  const windows: ChainWindow[] = await node.eachShard((s) => s.chainWindow(t0, t1));
  const loads: ThreadLoad[] = await node.eachShard((s) => s.load());
  const conservation: Conservation = await node.conservation();
  return summarize(o, node, cfg, { reports, windows, loads, conservation, t0, t1, drained, stoppedEarly, cpu: { start: cpuStart, end: cpuEnd, recoverUs }, prepared: prepared.reduce((a, p) => a + p.presigned, 0), memory, live: liveStart && liveMid && liveEnd ? { start: liveStart, mid: liveMid, end: liveEnd } : null });
}
