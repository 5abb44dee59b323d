/**
 * Helpers for the JSON-RPC tests: an in-process node (no local sealing) with its RPC service on
 * port 0, raw HTTP posts, and remote mining done by the test itself (tiny difficulty, real seal
 * checks) through getWork/submitWork.
 */
import { defaultConfig, type Config } from '../../src/core/config.js';
import { fromHex } from '../../src/core/bytes.js';
import { checkSeal } from '../../src/consensus/seal.js';
import { Coordinator } from '../../src/cluster/coordinator.js';
import { RpcClient } from '../../src/rpc/client.js';
import { RpcService } from '../../src/rpc/start.js';
import type { RpcLimits } from '../../src/rpc/server.js';

/** Genesis difficulty; the first block drops it to the minimum (genesis / 16 = 100): ~100 hashes a seal. */
export const TEST_DIFFICULTY = 1600n;

export interface Harness {
  readonly cfg: Config;
  readonly node: Coordinator;
  readonly rpc: RpcService;
  readonly url: string;
  readonly privUrl: string;
  readonly pub: RpcClient;
  readonly priv: RpcClient;
  close(): Promise<void>;
}

export async function startNode(o: { shards?: number; limits?: Partial<RpcLimits> } = {}): Promise<Harness> {
  const cfg = defaultConfig({ shards: o.shards ?? 2, algo: 'doublesha256', rootDifficulty: TEST_DIFFICULTY, shardDifficulty: TEST_DIFFICULTY });
  const node = await Coordinator.start({ config: cfg, datadir: null, inProcess: true, log: () => undefined });
  const rpc = await RpcService.start(node, { host: '127.0.0.1', port: 0, privatePort: 0, exposePrivate: false, remote: true, txRate: 0, log: () => undefined, limits: o.limits });
  const url = rpc.pub.url;
  const privUrl = rpc.priv!.url;
  return {
    cfg, node, rpc, url, privUrl, pub: new RpcClient(url), priv: new RpcClient(privUrl),
    close: async () => { await rpc.close(); await node.stop(); },
  };
}

export async function post(url: string, body: string, method = 'POST'): Promise<{ status: number; text: string }> {
  const res = await fetch(url, { method, body: method === 'POST' ? body : undefined, headers: { 'Content-Type': 'application/json' } });
  return { status: res.status, text: await res.text() };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls until `cond` holds (the chains' timestamps move one second per block). */
export async function until<T>(f: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export type Work = [string, string, string];

function sealOk(sealHash: string, difficulty: string, nonce: bigint): boolean {
  try {
    checkSeal('doublesha256', { sealHash: fromHex(sealHash), nonce, mixhash: new Uint8Array(32), difficulty: BigInt(difficulty), height: 0 });
    return true;
  } catch {
    return false;
  }
}

/** The first nonce from `from` that seals the work (or, with `valid` false, that does not). */
export function solve(w: Work, valid = true, from = 0n): bigint {
  for (let n = from; ; n++) if (sealOk(w[0], w[2], n) === valid) return n;
}

/** Waits for work on `key` (a hex full shard key, or null for the root). */
export function work(c: RpcClient, key: string | null, coinbase?: string): Promise<Work> {
  const params = coinbase ? [key, coinbase] : [key];
  return until(async () => (await c.call('getWork', params)) as Work | null, `work for ${key ?? 'root'}`);
}

export async function submit(c: RpcClient, key: string | null, w: Work, nonce: bigint): Promise<boolean> {
  return (await c.call('submitWork', [key, w[0], '0x' + nonce.toString(16), '0x' + '00'.repeat(32)])) === true;
}

/** Mines one block on `key` through getWork/submitWork; returns the work and whether it was accepted. */
export async function mineOne(c: RpcClient, key: string | null, coinbase?: string): Promise<{ w: Work; ok: boolean }> {
  const w = await work(c, key, coinbase);
  return { w, ok: await submit(c, key, w, solve(w)) };
}
