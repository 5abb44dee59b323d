/**
 * `shardminer stats --rpc URL [--interval SEC] [--json|--csv] [--count N]`: QuarkChain's stats
 * columns from `getStats` (a private method: the default URL is the private port 38491).
 * A node that does not answer is reported on stderr and asked again at the next interval;
 * Ctrl-C stops with exit code 0.
 */
import type { Command } from 'commander';
import { ChainError, invalid } from '../core/errors.js';
import { RpcClient } from '../rpc/client.js';
import { DEFAULT_RPC_PRIVATE_PORT } from '../rpc/start.js';
import { csvHeader, csvRow, header, rowOf, textRow } from '../rpc/statsView.js';

interface StatsFlags { rpc: string; interval: string; json?: boolean; csv?: boolean; count?: string }

/** QuarkChain's stats tool polls every 10 s by default. */
const DEFAULT_INTERVAL_SEC = 10;

export async function runStats(f: StatsFlags): Promise<void> {
  const interval = Number(f.interval);
  if (!(interval > 0)) throw invalid('BAD_FLAG', `--interval must be a positive number of seconds, got '${f.interval}'`);
  const count = f.count === undefined ? Infinity : Number(f.count);
  if (!(count >= 1) || (count !== Infinity && !Number.isInteger(count))) throw invalid('BAD_FLAG', `--count must be a positive integer, got '${f.count}'`);
  if (f.json && f.csv) throw invalid('BAD_FLAG', '--json and --csv exclude each other');
  const client = new RpcClient(f.rpc);
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((r) => { stop = r; });
  process.once('SIGINT', () => stop());
  process.once('SIGTERM', () => stop());
  let headed = false;
  for (let rows = 0; rows < count;) {
    try {
      const stats = await client.call('getStats');
      if (!headed) {
        if (f.csv) process.stdout.write(csvHeader() + '\n');
        else if (!f.json) process.stdout.write(header(stats, new URL(f.rpc).hostname) + '\n');
        headed = true;
      }
      const row = rowOf(stats, new Date());
      process.stdout.write((f.json ? JSON.stringify(row) : f.csv ? csvRow(row) : textRow(row)) + '\n');
      rows++;
    } catch (e) {
      process.stderr.write(`stats: ${ChainError.from(e).message}\n`);
    }
    if (rows >= count) break;
    let t: NodeJS.Timeout | undefined;
    const done = await Promise.race([stopped.then(() => true), new Promise<boolean>((r) => { t = setTimeout(() => r(false), interval * 1000); })]);
    clearTimeout(t);
    if (done) break;
  }
}

export function registerStats(program: Command): void {
  program.command('stats').description("QuarkChain's stats columns from a node's getStats")
    .option('--rpc <URL>', "the node's private JSON-RPC URL", `http://127.0.0.1:${DEFAULT_RPC_PRIVATE_PORT}`)
    .option('--interval <SEC>', 'seconds between rows', String(DEFAULT_INTERVAL_SEC))
    .option('--count <N>', 'stop after N rows')
    .option('--json', 'one JSON object per row')
    .option('--csv', 'CSV with a header line')
    .action(async (f: StatsFlags) => { await runStats(f); });
}
