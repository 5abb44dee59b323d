/**
 * `shardminer mine` (the default job, `npm start`): a local sharded chain mined on this
 * machine, on-disk LevelDB in ./data by default, a live status view, Ctrl-C to stop cleanly.
 */
import type { Command } from 'commander';
import type { Address } from '../core/address.js';
import { defaultKeyOf, hexId } from '../core/branch.js';
import { allShardIds, consensusOf, type Config } from '../core/config.js';
import { invalid } from '../core/errors.js';
import { decodeMinorHeader } from '../core/minorBlock.js';
import type { RootBlock } from '../core/rootBlock.js';
import { devAccounts } from '../consensus/genesis.js';
import type { Coordinator, NodeStatus } from '../cluster/coordinator.js';
import type { P2pOptions } from '../cluster/p2pNode.js';
import type { BlockEvent } from '../shard/protocol.js';
import { isKernelChoice, selectKernel } from '../pow/select.js';
import type { KernelChoice } from '../pow/types.js';
import type { RpcStartOptions } from '../rpc/start.js';
import { startNode } from '../node.js';
import { coinbaseOf } from './coinbaseFlag.js';
import { addChainFlags, configFromFlags, datadirOf, type ChainFlags } from './configFlags.js';
import { LiveTracker, ROOT_NAME } from './liveStatus.js';
import { colorWanted, LiveTerminal } from './liveTerminal.js';
import { renderLive, type Sealing } from './liveView.js';
import { mineBanner } from './mineBanner.js';
import { renderPlain, StatusTracker } from './statusView.js';
import { addRpcFlags, rpcOptionsFromFlags, type RpcFlags } from './rpcFlags.js';
import { addP2pFlags, p2pOptionsFromFlags, type P2pFlags } from './p2pFlags.js';

interface MineFlags extends ChainFlags, RpcFlags, P2pFlags {
  duration?: string;
  txRate: string;
  interval: string;
  json?: boolean;
  kernel: string;
  rpc: boolean;
  coinbase?: string;
}

const SAMPLE_MS = 1000;

function num(v: string, name: string, min = 0): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) throw invalid('BAD_FLAG', `--${name} must be a number ≥ ${min}, got '${v}'`);
  return n;
}

/** How the status is shown: NDJSON and plain lines on stdout, the live region on stderr (issue 15). */
interface Outputs { readonly live: LiveTerminal | null; readonly plain: boolean; readonly color: boolean }

/**
 * The live region needs stderr on a terminal, and is left out when NDJSON goes to that same
 * terminal; plain lines go to stdout when it is not a terminal (as before), or when there is no region.
 */
function outputsOf(json: boolean): Outputs {
  const errTty = process.stderr.isTTY === true;
  const outTty = process.stdout.isTTY === true;
  const live = errTty && !(json && outTty) ? new LiveTerminal(process.stderr) : null;
  return { live, plain: !json && (!outTty || !live), color: colorWanted(errTty) };
}

export async function runMine(f: MineFlags): Promise<void> {
  const cfg = configFromFlags(f);
  const datadir = datadirOf(f);
  const interval = num(f.interval, 'interval', 0.1);
  const duration = f.duration === undefined ? undefined : num(f.duration, 'duration', 0);
  const txRate = num(f.txRate, 'tx-rate', 0);
  if (!isKernelChoice(f.kernel)) throw invalid('BAD_FLAG', `--kernel must be auto, native, wasm-simd or js`);
  const given = coinbaseOf(f.coinbase, cfg);
  const out = outputsOf(f.json === true);
  const live = out.live;
  const log = (l: string): void => { if (live) live.event(l); else process.stderr.write(l + '\n'); };
  try {
    const rpcOpts = rpcOptionsFromFlags(f, txRate, log);
    const p2pOpts = p2pOptionsFromFlags(f, log);
    const coinbase = given ?? { recipient: devAccounts(cfg)[0]!.recipient, fullShardKey: defaultKeyOf(allShardIds(cfg)[0]!) };
    for (const l of mineBanner(cfg, { datadir, coinbase, coinbaseGiven: given !== undefined, remote: f.remote === true })) log(l);
    // One line per algorithm naming the kernel every sealing thread will pick (issue 4).
    const algos = new Set([cfg.root.algo, ...cfg.chains.map((c) => c.consensus.algo)]);
    for (const a of algos) if (a !== 'simulate') selectKernel(a, f.kernel as KernelChoice, log);
    await mineWith(f, { cfg, datadir, coinbase, rpcOpts, p2pOpts, log, out, interval, duration, txRate });
  } finally {
    live?.close();
  }
}

interface MineRun {
  readonly cfg: Config; readonly datadir: string | null; readonly coinbase: Address; readonly log: (l: string) => void;
  readonly rpcOpts: RpcStartOptions | null; readonly p2pOpts: P2pOptions | null; readonly out: Outputs;
  readonly interval: number; readonly duration: number | undefined; readonly txRate: number;
}

async function mineWith(f: MineFlags, r: MineRun): Promise<void> {
  const tracker = new StatusTracker();
  const sealing = (name: string): Sealing => {
    if (f.remote) return 'remote';
    const algo = name === ROOT_NAME ? r.cfg.root.algo : consensusOf(r.cfg, Number(name)).algo;
    return algo === 'simulate' ? 'simulated' : 'hashing';
  };
  const view = new LiveTracker(sealing);
  let last: NodeStatus | null = null;
  const redraw = (c: Coordinator): void => {
    const s = last;
    if (!r.out.live || !s) return;
    const st = view.status(s, { peers: r.p2pOpts ? c.p2p.peers().length : null, syncing: c.p2p.syncing() });
    r.out.live.draw((width, height) => renderLive(st, { width, height, color: r.out.color }));
  };
  const sample = async (c: Coordinator): Promise<NodeStatus> => {
    const s = await c.status();
    tracker.sample(s);
    view.sample(s);
    last = s;
    redraw(c);
    return s;
  };
  const emit = async (c: Coordinator, type: 'status' | 'final'): Promise<void> => {
    const line = tracker.line(type, await sample(c));
    if (f.json) process.stdout.write(JSON.stringify(line) + '\n');
    else if (r.out.plain) process.stdout.write(renderPlain(line) + '\n');
  };
  const node = await startNode({
    coordinator: { config: r.cfg, datadir: r.datadir, kernel: f.kernel as KernelChoice, coinbase: r.coinbase, log: r.log },
    p2p: r.p2pOpts, rpc: r.rpcOpts, log: r.log,
    finish: (n) => emit(n.coordinator, 'final'),
  });
  const c = node.coordinator;
  const offs = [
    c.events.on('block', (id: number, ev: BlockEvent) => { if (ev.isTip) view.tip(hexId(id), decodeMinorHeader(ev.header).createTime); }),
    c.events.on('rootTip', (rb: RootBlock) => view.tip(ROOT_NAME, rb.header.createTime)),
  ];
  const onSignal = (sig: string): void => { r.log(`signal ${sig} received, stopping…`); node.requestStop(); };
  process.once('SIGINT', () => onSignal('SIGINT'));
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  await emit(c, 'status');
  await c.setMining(!f.remote, r.txRate);
  const sampler = setInterval(() => { void sample(c).catch(() => undefined); }, SAMPLE_MS);
  const ticker = setInterval(() => { void emit(c, 'status').catch(() => undefined); }, r.interval * 1000);
  const timer = r.duration === undefined ? null : setTimeout(() => node.requestStop(), r.duration * 1000);
  void node.stopping.then(() => {
    clearInterval(sampler);
    clearInterval(ticker);
    if (timer) clearTimeout(timer);
  });
  const fatal = await node.stopped;
  for (const off of offs) off();
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
    .option('--coinbase <ADDRESS>', 'where block rewards go: an address (0x + 48 hex) or a recipient (0x + 40 hex), on every shard (default: dev #0)')
    .option('--no-p2p', 'no P2P: do not listen for peers nor dial any')
    .action(async (f: MineFlags) => { await runMine(f); });
}
