/**
 * `shardminer mine` (the default job, `npm start`): a local sharded chain mined on this
 * machine, on-disk LevelDB in ./data by default, a live status view, Ctrl-C to stop cleanly.
 */
import type { Command } from 'commander';
import { addressToHex } from '../core/address.js';
import { defaultKeyOf } from '../core/branch.js';
import { toHex } from '../core/bytes.js';
import { allShardIds, type Config } from '../core/config.js';
import { invalid } from '../core/errors.js';
import { devAccounts } from '../consensus/genesis.js';
import type { Coordinator } from '../cluster/coordinator.js';
import { isKernelChoice, selectKernel } from '../pow/select.js';
import type { KernelChoice } from '../pow/types.js';
import { startNode } from '../node.js';
import { addChainFlags, configFromFlags, datadirOf, type ChainFlags } from './configFlags.js';
import { renderPlain, renderTable, StatusTracker } from './statusView.js';
import { addRpcFlags, rpcOptionsFromFlags, type RpcFlags } from './rpcFlags.js';
import { addP2pFlags, p2pOptionsFromFlags, type P2pFlags } from './p2pFlags.js';

interface MineFlags extends ChainFlags, RpcFlags, P2pFlags {
  duration?: string;
  txRate: string;
  interval: string;
  json?: boolean;
  kernel: string;
  rpc: boolean;
}

const SAMPLE_MS = 1000;

function num(v: string, name: string, min = 0): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw invalid('BAD_FLAG', `--${name} must be a number ≥ ${min}, got '${v}'`);
  return n;
}

function banner(cfg: Config, datadir: string | null): string {
  const lines = [
    `shardminer: ${cfg.chains.length} chain(s) × ${cfg.chains[0]!.shardSize} shards (${allShardIds(cfg).map((i) => '0x' + i.toString(16)).join(' ')}), ` +
      `root ${cfg.root.algo} target ${cfg.root.targetBlockTime}s, shards ${cfg.chains[0]!.consensus.algo} target ${cfg.chains[0]!.consensus.targetBlockTime}s`,
    `datadir: ${datadir ?? '(in memory)'}`,
    'Dev accounts (WARNING: these keys are publicly known; never use them outside a local chain):',
  ];
  const first = allShardIds(cfg)[0]!;
  devAccounts(cfg).forEach((d, i) => lines.push(`  #${i} ${addressToHex({ recipient: d.recipient, fullShardKey: defaultKeyOf(first) })}  key ${toHex(d.privateKey)}`));
  lines.push('  (the same recipient exists on every shard: replace the last 4 bytes with the shard key)');
  return lines.join('\n');
}

export async function runMine(f: MineFlags): Promise<void> {
  const cfg = configFromFlags(f);
  const datadir = datadirOf(f);
  const interval = num(f.interval, 'interval', 0.1);
  const duration = f.duration === undefined ? undefined : num(f.duration, 'duration', 0);
  const txRate = num(f.txRate, 'tx-rate', 0);
  if (!isKernelChoice(f.kernel)) throw invalid('BAD_FLAG', `--kernel must be auto, native, wasm-simd or js`);
  const log = (l: string): void => { process.stderr.write(l + '\n'); };
  const rpcOpts = rpcOptionsFromFlags(f, txRate, log);
  const p2pOpts = p2pOptionsFromFlags(f, log);
  process.stderr.write(banner(cfg, datadir) + '\n');
  // One line per algorithm naming the kernel every sealing thread will pick (issue 4).
  const algos = new Set([cfg.root.algo, ...cfg.chains.map((c) => c.consensus.algo)]);
  for (const a of algos) if (a !== 'simulate') selectKernel(a, f.kernel as KernelChoice);
  const tracker = new StatusTracker();
  const tty = process.stdout.isTTY === true && !f.json;
  const emit = async (c: Coordinator, type: 'status' | 'final'): Promise<void> => {
    const s = await c.status();
    tracker.sample(s);
    const line = tracker.line(type, s);
    if (f.json) process.stdout.write(JSON.stringify(line) + '\n');
    else if (tty) process.stdout.write('\x1b[H\x1b[2J' + renderTable(line) + '\n');
    else process.stdout.write(renderPlain(line) + '\n');
  };
  const node = await startNode({
    coordinator: { config: cfg, datadir, kernel: f.kernel as KernelChoice }, p2p: p2pOpts, rpc: rpcOpts, log,
    finish: (n) => emit(n.coordinator, 'final'),
  });
  const c = node.coordinator;
  const onSignal = (sig: string): void => { process.stderr.write(`signal ${sig} received, stopping…\n`); node.requestStop(); };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  await emit(c, 'status');
  await c.setMining(!f.remote, txRate);
  const sampler = setInterval(() => { void c.status().then((s) => tracker.sample(s)).catch(() => undefined); }, SAMPLE_MS);
  const ticker = setInterval(() => { void emit(c, 'status').catch(() => undefined); }, interval * 1000);
  const timer = duration === undefined ? null : setTimeout(() => node.requestStop(), duration * 1000);
  void node.stopping.then(() => {
    clearInterval(sampler);
    clearInterval(ticker);
    if (timer) clearTimeout(timer);
  });
  const fatal = await node.stopped;
  if (fatal) throw fatal;
}

export function registerMine(program: Command): void {
  const cmd = program.command('mine', { isDefault: false }).description('mine a local sharded chain (the default job)');
  addP2pFlags(addRpcFlags(addChainFlags(cmd)))
    .option('--duration <SEC>', 'stop by itself after SEC seconds')
    .option('--tx-rate <TX/S>', 'signed dev transfers per second, half cross-shard', '0')
    .option('--interval <SEC>', 'status interval', '5')
    .option('--json', 'NDJSON status lines on stdout')
    .option('--kernel <K>', 'sealing kernel: auto, native, wasm-simd, js', 'auto')
    .option('--remote', 'seal nothing locally: blocks come from external miners over getWork/submitWork')
    .option('--no-p2p', 'no P2P: do not listen for peers nor dial any')
    .action(async (f: MineFlags) => { await runMine(f); });
}
