/**
 * Propagation benchmark (issue "shard P2P" item 6): two mining nodes connected directly (one hop)
 * in this process, in memory, `simulate` sealing, 4 shards with 3 s shard blocks, real shard
 * workers and real ws sockets on 127.0.0.1. After a warm-up it measures, for a fixed window:
 * - the shard blocks mined (sealed) on both nodes;
 * - the stale share: 1 − (canonical shard height gained) ÷ (Σ mined gained on both nodes), with
 *   the heights read once both nodes agree on every shard tip after sealing stops;
 * - the per-hop delay: from a block committed on the node that sealed it to the same block
 *   committed on the peer, p50 and p99 in ms (one clock: both nodes share this process's).
 * Prints one stable line.
 *   node dist/bench/propagation.js [windowSec=120]
 */
import { performance } from 'node:perf_hooks';
import { keyOf } from '../src/core/bytes.js';
import { defaultConfig } from '../src/core/config.js';
import { decodeMinorHeader, minorHeaderHash } from '../src/core/minorBlock.js';
import { startNode, type ShardminerNode } from '../src/node.js';

/** QuarkChain-like local shards: 4 of them. */
const SHARDS = 4;
/** Seconds before the window: both nodes connected, the first blocks exchanged. */
const WARMUP_SEC = 10;
/** How long to wait for both nodes to agree on every tip once sealing stops. */
const SETTLE_MS = 30_000;

const windowSec = Number(process.argv[2] ?? 120);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const quiet = (): void => undefined;

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function main(): Promise<void> {
  const config = defaultConfig({ shards: SHARDS, algo: 'simulate' });
  const a = await startNode({ coordinator: { config, datadir: null, log: quiet }, p2p: { port: 0, log: quiet }, log: quiet });
  const b = await startNode({ coordinator: { config, datadir: null, log: quiet }, p2p: { port: 0, peers: [a.p2p!.url], log: quiet }, log: quiet });
  const nodes: ShardminerNode[] = [a, b];
  /** Per block: when it was committed on each node (ms), and which node sealed it. */
  const seen = new Map<string, { at: (number | undefined)[]; sealedBy?: number }>();
  let measuring = false;
  nodes.forEach((n, i) => n.coordinator.events.on('block', (_s, ev) => {
    const k = keyOf(minorHeaderHash(decodeMinorHeader(ev.header)));
    let r = seen.get(k);
    if (!r) seen.set(k, (r = { at: [undefined, undefined] }));
    r.at[i] ??= performance.now();
    if (ev.mined && measuring) r.sealedBy = i;
  }));
  while (a.p2p!.peers().length === 0) await sleep(50);
  await Promise.all(nodes.map((n) => n.coordinator.setMining(true)));
  await sleep(WARMUP_SEC * 1000);
  const before = await Promise.all(nodes.map((n) => n.coordinator.status()));
  measuring = true;
  await sleep(windowSec * 1000);
  measuring = false;
  const sealedInWindow = await Promise.all(nodes.map((n) => n.coordinator.status()));
  await Promise.all(nodes.map((n) => n.coordinator.setMining(false)));
  // The canonical chain of the window: once both nodes agree on every shard tip.
  const end = Date.now() + SETTLE_MS;
  let after = await Promise.all(nodes.map((n) => n.coordinator.status()));
  const agree = (): boolean => after[0]!.shards.every((s, i) => keyOf(s.tip.hash) === keyOf(after[1]!.shards[i]!.tip.hash));
  while (!agree() && Date.now() < end) {
    await sleep(200);
    after = await Promise.all(nodes.map((n) => n.coordinator.status()));
  }
  const mined = sealedInWindow.reduce((sum, st, i) => sum + st.shards.reduce((x, s, j) => x + s.blocksMined - before[i]!.shards[j]!.blocksMined, 0), 0);
  // Canonical blocks sealed in the window: the tips' height gain up to the end of the window (blocks sealed after it do not count).
  const gained = sealedInWindow[0]!.shards.reduce((x, _s, j) => {
    const tipAtEnd = Math.max(sealedInWindow[0]!.shards[j]!.tip.height, sealedInWindow[1]!.shards[j]!.tip.height);
    const tipAtStart = Math.max(before[0]!.shards[j]!.tip.height, before[1]!.shards[j]!.tip.height);
    return x + tipAtEnd - tipAtStart;
  }, 0);
  const delays: number[] = [];
  for (const r of seen.values()) {
    if (r.sealedBy === undefined) continue;
    const from = r.at[r.sealedBy];
    const to = r.at[1 - r.sealedBy];
    if (from !== undefined && to !== undefined) delays.push(to - from);
  }
  const stale = mined > 0 ? Math.max(0, 1 - gained / mined) : NaN;
  process.stdout.write(
    `propagation: 2 nodes, 1 hop, ${SHARDS} shards, simulate 3 s, ${windowSec} s: ${mined} shard blocks mined, ` +
    `stale share ${(stale * 100).toFixed(1)} % (canonical gain ${gained}${agree() ? '' : ', tips not agreed'}), ` +
    `per-hop delay p50 ${percentile(delays, 50).toFixed(1)} ms p99 ${percentile(delays, 99).toFixed(1)} ms (n=${delays.length})\n`,
  );
  await Promise.all(nodes.map((n) => n.stop()));
}

main().catch((e: unknown) => {
  process.stderr.write(`propagation: ${e instanceof Error ? e.stack ?? e.message : String(e)}\n`);
  process.exit(1);
});
