/**
 * `stress --rpc URL`: load a running node through QuarkChain's `createTransactions` (the
 * transfers are signed inside its shards) and report what its blocks and balances show: TPS
 * counted from blocks (`getStats.totalTxCount`) and the conservation equation
 * (`getConservation`). Per-transaction loss and latency need the built-in node.
 */
import { invalid } from '../core/errors.js';
import { RpcClient } from '../rpc/client.js';

/** QuarkChain caps one createTransactions call at its 12,000 loadtest accounts per shard. */
const MAX_PER_CALL = 12_000;
const POLL_MS = 1_000;

export interface RpcStressOptions {
  readonly url: string;
  readonly ratePerSecond: number; // 0 = max
  readonly xshardPercent: number;
  readonly durationSec: number;
  readonly drainTimeoutSec: number;
}

export interface RpcStressResult {
  readonly mode: 'rpc';
  readonly note: string;
  readonly window: { readonly seconds: number };
  readonly requested: number;
  readonly confirmedTps: number;
  readonly txsInBlocks: number;
  readonly pendingAtEnd: number;
  readonly rootBlocks: number;
  readonly conservation: { readonly ok: boolean; readonly balances: string; readonly inFlight: string; readonly expected: string };
}

interface Stats { totalTxCount: number; pendingTxCount: number; rootHeight: number; shards: unknown[] }

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function runRpcStress(o: RpcStressOptions): Promise<RpcStressResult> {
  const rpc = new RpcClient(o.url);
  const stats = async (): Promise<Stats> => (await rpc.call('getStats')) as Stats;
  const first = await stats().catch((e: unknown) => {
    throw invalid('RPC_UNAVAILABLE', `${o.url} did not answer getStats (a private method: use the private port or a loopback address): ${(e as Error).message}`);
  });
  const shards = first.shards.length;
  const t0 = Date.now();
  let requested = 0;
  while (Date.now() - t0 < o.durationSec * 1000) {
    const perShard = o.ratePerSecond > 0 ? Math.max(1, Math.round(o.ratePerSecond / shards)) : MAX_PER_CALL;
    await rpc.call('createTransactions', [{ numTxPerShard: Math.min(perShard, MAX_PER_CALL), xShardPercent: o.xshardPercent }]);
    requested += Math.min(perShard, MAX_PER_CALL) * shards;
    await sleep(POLL_MS);
  }
  const t1 = Date.now();
  const atEnd = await stats();
  const drainEnd = Date.now() + o.drainTimeoutSec * 1000;
  let last = atEnd;
  while (last.pendingTxCount > 0 && Date.now() < drainEnd) { await sleep(POLL_MS); last = await stats(); }
  const c = (await rpc.call('getConservation')) as RpcStressResult['conservation'];
  const seconds = (t1 - t0) / 1000;
  return {
    mode: 'rpc',
    note: 'against a running node: throughput from its blocks and conservation from its balances; per-transaction loss and latency need the built-in node (run stress without --rpc)',
    window: { seconds }, requested, txsInBlocks: atEnd.totalTxCount - first.totalTxCount,
    confirmedTps: (atEnd.totalTxCount - first.totalTxCount) / seconds, pendingAtEnd: last.pendingTxCount,
    rootBlocks: atEnd.rootHeight - first.rootHeight,
    conservation: { ok: c.ok, balances: c.balances, inFlight: c.inFlight, expected: c.expected },
  };
}

export function renderRpcReport(r: RpcStressResult): string {
  const rows: [string, string][] = [
    ['mode', `--rpc (${r.note})`],
    ['measured window', `${r.window.seconds.toFixed(1)} s`],
    ['requested (createTransactions)', String(r.requested)],
    ['transactions in blocks', String(r.txsInBlocks)],
    ['confirmed TPS (from blocks)', r.confirmedTps.toFixed(1)],
    ['pending at end', String(r.pendingAtEnd)],
    ['root blocks', String(r.rootBlocks)],
    ['conservation', `${r.conservation.ok ? 'ok' : 'FAILED'}: balances ${r.conservation.balances} + in flight ${r.conservation.inFlight} = expected ${r.conservation.expected}`],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n');
}
