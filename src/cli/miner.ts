/**
 * `shardminer miner --rpc URL [--shards all|root|0x5,…] [--threads N] [--kernel …]`: an external
 * miner over getWork/submitWork (works against `mine --remote`, and against any node with
 * QuarkChain's mining methods). Accepted/rejected lines and the speed line (with the share
 * totals and accept rate) go to stdout, as text or NDJSON (`--json`),
 * connection state to stderr; Ctrl-C (or SIGTERM) stops it with exit code 0.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { POW_ALGOS, type PowAlgo } from '../core/config.js';
import { ChainError, invalid } from '../core/errors.js';
import { isKernelChoice } from '../pow/select.js';
import { RpcClient } from '../rpc/client.js';
import { DEFAULT_RPC_PORT } from '../rpc/start.js';
import { toHex } from '../core/bytes.js';
import { acceptRate, reportLine, type MinerReport } from '../miner/minerReport.js';
import { RemoteMiner } from '../miner/remoteMiner.js';
import { coinbaseRecipientOf } from './coinbaseFlag.js';
import { parseShards, resolveTargets, type Target } from '../miner/targets.js';

interface MinerFlags {
  rpc: string;
  shards: string;
  threads?: string;
  kernel: string;
  algo?: string;
  coinbase?: string;
  json?: boolean;
}

/** Waits between attempts to reach the node at start (it may still be starting). */
const START_RETRY_MS = 1000;

export const DEFAULT_RPC_URL = `http://127.0.0.1:${DEFAULT_RPC_PORT}`;

function threadsOf(v: string | undefined): number {
  if (v === undefined) return availableParallelism();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw invalid('BAD_FLAG', `--threads must be a positive integer, got '${v}'`);
  return n;
}

export async function runMiner(f: MinerFlags): Promise<void> {
  const threads = threadsOf(f.threads);
  if (!isKernelChoice(f.kernel)) throw invalid('BAD_FLAG', '--kernel must be auto, native, wasm-simd or js');
  if (f.algo !== undefined && !(POW_ALGOS as readonly string[]).includes(f.algo)) throw invalid('BAD_FLAG', `--algo must be one of ${POW_ALGOS.join(', ')}`);
  const spec = parseShards(f.shards);
  const coinbase = coinbaseRecipientOf(f.coinbase);
  const client = new RpcClient(f.rpc);
  const log = (l: string): void => { process.stderr.write(l + '\n'); };
  let stopped = false;
  let miner: RemoteMiner | null = null;
  const onSignal = (): void => { stopped = true; miner?.stop(); };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let targets: Target[] | null = null;
  for (let said = false; !targets && !stopped;) {
    try {
      targets = await resolveTargets(client, spec, f.algo as PowAlgo | undefined);
    } catch (e) {
      const err = ChainError.from(e);
      if (err.code !== 'RPC_UNREACHABLE') throw e;
      if (!said) log(`miner: waiting for the node at ${f.rpc} (${err.message})`);
      said = true;
      await new Promise((r) => setTimeout(r, START_RETRY_MS));
    }
  }
  if (!targets) return;
  const report = (r: MinerReport): void => { process.stdout.write((f.json ? JSON.stringify(r) : reportLine(r)) + '\n'); };
  miner = new RemoteMiner({ client, targets, threads, kernel: f.kernel, report, log, coinbase: coinbase ?? null });
  log(`miner: ${threads} thread(s), chains: ${targets.map((t) => `${t.label} (${t.algo})`).join(', ')}`);
  log(coinbase ? `miner: rewards go to recipient ${toHex(coinbase)} on every shard (--coinbase)` : "miner: rewards go to the node's coinbase (--coinbase ADDRESS changes it)");
  if (stopped) miner.stop();
  await miner.run();
  const rate = acceptRate(miner.shares);
  log(`miner: stopped; accepted ${miner.accepted}, rejected ${miner.rejected}${rate === null ? '' : ` (${Math.floor(rate * 100)}% accepted)`}`);
}

export function registerMiner(program: Command): void {
  program.command('miner').description('external miner over getWork/submitWork (JSON-RPC)')
    .option('--rpc <URL>', "the node's JSON-RPC URL", DEFAULT_RPC_URL)
    .option('--shards <LIST>', 'chains to mine: all, root, or full shard ids like 0x5,0x6 (a full shard key is accepted too; root may be listed)', 'all')
    .option('--coinbase <ADDRESS>', "where rewards go: an address (0x + 48 hex) or a recipient (0x + 40 hex), on every shard (default: the node's coinbase)")
    .option('--json', 'NDJSON on stdout: a share object per submitted block and a speed object every 10 s')
    .option('--threads <N>', 'sealing threads (default: every core)')
    .option('--kernel <K>', 'sealing kernel: auto, native, wasm-simd, js', 'auto')
    .option('--algo <A>', "override the chains' algorithm (for nodes without getMiningConfig)")
    .action(async (f: MinerFlags) => { await runMiner(f); });
}
