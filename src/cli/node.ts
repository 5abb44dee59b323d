/**
 * `shardminer node --peer ws://HOST:PORT` (DESIGN §12): joins peers, syncs their root chain and
 * shard chains and relays blocks and transfers, sealing nothing itself; serves the same JSON-RPC
 * as `mine` (same flags and defaults), getWork/submitWork included, so external miners can mine
 * through it. Same chain flags and datadir as `mine` (the genesis must match the peers').
 * Progress (root height, peers, sync) goes to stderr.
 */
import type { Command } from 'commander';
import { toHex } from '../core/bytes.js';
import { invalid } from '../core/errors.js';
import type { Coordinator } from '../cluster/coordinator.js';
import { startNode } from '../node.js';
import type { P2pNode } from '../cluster/p2pNode.js';
import { addChainFlags, configFromFlags, datadirOf, type ChainFlags } from './configFlags.js';
import { addP2pFlags, p2pOptionsFromFlags, type P2pFlags } from './p2pFlags.js';
import { addRpcFlags, rpcOptionsFromFlags, type RpcFlags } from './rpcFlags.js';

interface NodeFlags extends ChainFlags, Omit<P2pFlags, 'p2p'>, Omit<RpcFlags, 'remote'> {
  duration?: string;
  interval: string;
}

/** Hex digits of the root tip hash shown in a progress line: enough to tell tips apart by eye. */
const SHORT_HASH_CHARS = 10;

function num(v: string, name: string, min: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw invalid('BAD_FLAG', `--${name} must be a number ≥ ${min}, got '${v}'`);
  return n;
}

/** One progress line: `node: root height H (0x…), peers N, syncing|idle; shards 0xID:HEIGHT …`. */
async function progress(node: Coordinator, p2p: P2pNode): Promise<string> {
  const s = await node.status();
  const shards = s.shards.map((sh) => `0x${sh.shardId.toString(16)}:${sh.tip.height}`).join(' ');
  return `node: root height ${s.root.height} (${toHex(s.root.hash).slice(0, SHORT_HASH_CHARS)}…), peers ${p2p.peers().length}, ` +
    `${p2p.syncing ? 'syncing' : 'idle'}; shards ${shards}`;
}

export async function runNode(f: NodeFlags): Promise<void> {
  const cfg = configFromFlags(f);
  const datadir = datadirOf(f);
  const interval = num(f.interval, 'interval', 0.1);
  const duration = f.duration === undefined ? undefined : num(f.duration, 'duration', 0);
  const log = (l: string): void => { process.stderr.write(l + '\n'); };
  const p2pOpts = p2pOptionsFromFlags({ ...f, p2p: true }, log)!;
  const rpcOpts = rpcOptionsFromFlags({ ...f, remote: false }, 0, log);
  if (f.peer.length === 0) log('node: no --peer given: waiting for peers to connect');
  log(`node: datadir ${datadir ?? '(in memory)'}; syncing only, sealing nothing`);
  const node = await startNode({
    coordinator: { config: cfg, datadir, log }, p2p: p2pOpts, rpc: rpcOpts, log,
    finish: async (n) => log(await progress(n.coordinator, n.p2p!)),
  });
  const p2p = node.p2p!;
  const onSignal = (sig: string): void => { log(`signal ${sig} received, stopping…`); node.requestStop(); };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  const report = (): void => { void progress(node.coordinator, p2p).then(log, () => undefined); };
  report();
  const ticker = setInterval(report, interval * 1000);
  const timer = duration === undefined ? null : setTimeout(() => node.requestStop(), duration * 1000);
  void node.stopping.then(() => {
    clearInterval(ticker);
    if (timer) clearTimeout(timer);
  });
  const fatal = await node.stopped;
  if (fatal) throw fatal;
}

export function registerNode(program: Command): void {
  const cmd = program.command('node').description('join peers and sync their chain, sealing nothing (--peer ws://HOST:PORT)');
  addP2pFlags(addRpcFlags(addChainFlags(cmd)))
    .option('--duration <SEC>', 'stop by itself after SEC seconds')
    .option('--interval <SEC>', 'progress interval', '5')
    .action(async (f: NodeFlags) => { await runNode(f); });
}
