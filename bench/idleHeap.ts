/**
 * Live-heap growth of an idle in-memory node (no load: empty 1 s shard blocks, 10 s root blocks,
 * the stress configuration with pruning): what the chain history alone costs per minute, to set
 * against the growth under load that `node --expose-gc dist/bench/stress.js 600 8 10000` shows.
 * Prints one stable line.
 *   node --expose-gc dist/bench/idleHeap.js [durationSec=180] [shards=8]
 */
import { stressConfig } from '../src/cluster/stress.js';
import { startNode } from '../src/node.js';
import { collectGarbage } from '../src/core/collectGarbage.js';

/** Blocks of bodies kept behind the confirmed tip, as in `stress`. */
const RETAIN_BLOCKS = 32;
/** The first sample is taken after this warm-up (caches and compiled code settle). */
const WARMUP_MS = 30_000;

const duration = Number(process.argv[2] ?? 180);
const shards = Number(process.argv[3] ?? 8);
if (!collectGarbage()) {
  process.stderr.write('idleHeap: run with node --expose-gc\n');
  process.exit(2);
}
const started = await startNode({
  coordinator: { config: stressConfig({ chains: 1, shards, accounts: 1024, algo: 'simulate' }), datadir: null, log: () => undefined, retainBlocks: RETAIN_BLOCKS },
});
const node = started.coordinator;
const live = async (): Promise<number[]> => {
  collectGarbage();
  const loads = await node.eachShard((s) => s.load(true));
  return loads.map((l) => l.heapUsedMB);
};
try {
  await node.setMining(true, 0);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const before = await live();
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, duration * 1000));
  const after = await live();
  const minutes = (Date.now() - t0) / 60_000;
  const growth = after.map((a, i) => (a - before[i]!) / minutes);
  const st = await node.status();
  const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
  process.stdout.write(
    `idleHeap shards=${shards} window=${duration}s root=${st.root.height} liveWorkerHeap=${mean(before).toFixed(1)}->${mean(after).toFixed(1)}MB ` +
    `growthPerWorker=${mean(growth).toFixed(2)}MB/min\n`,
  );
} finally {
  await started.stop();
}
