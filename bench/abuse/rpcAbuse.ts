/**
 * RPC abuse against any node's JSON-RPC URL (issue "hostile load" items 1 and 2), for
 * bench/abuse.ts and the RPC abuse test: slow HTTP clients (headers, then a partial body),
 * future-nonce spam from one dev account through sendRawTransaction, a batch of malformed calls,
 * and the chain heights that say whether the node kept mining.
 */
import { connect, type Socket } from 'node:net';
import { addressToHex } from '../../src/core/address.js';
import { toHex } from '../../src/core/bytes.js';
import type { Config } from '../../src/core/config.js';
import { encodeTx } from '../../src/core/transaction.js';
import { devAccounts } from '../../src/consensus/genesis.js';
import { signTx } from '../../src/crypto/keys.js';
import { RpcClient } from '../../src/rpc/client.js';
import { RpcError } from '../../src/rpc/errors.js';
import { GAS_TRANSFER } from '../../src/consensus/gas.js';

export interface SlowClient {
  readonly socket: Socket;
  /** Resolves with how long the socket lived (ms) once the server closed it. */
  readonly closed: Promise<number>;
}

/** A client that sends a request's headers and the start of its body, then nothing. */
export function slowClient(url: string): Promise<SlowClient> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(u.port), u.hostname, () => {
      socket.write(`POST / HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"jsonrpc":"2.0",`);
      const t0 = Date.now();
      resolve({ socket, closed: new Promise((r) => socket.on('close', () => r(Date.now() - t0))) });
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
    socket.resume(); // read what the server sends (its 408 and FIN), so a close by the server is seen
  });
}

/** The refusals a pool gives a sender's transfers past its nonce gap or queue (README, transaction pool). */
export const FUTURE_NONCE_CODES: ReadonlySet<string> = new Set(['TX_NONCE_TOO_FAR', 'TX_ACCOUNT_QUEUE_FULL', 'TX_QUEUE_FULL']);
/** Minimum gas price of the default configuration (1 gwei). */
const GAS_PRICE = 1_000_000_000n;

export interface SpamResult {
  readonly sent: number;
  /** Refused with one of FUTURE_NONCE_CODES. */
  readonly refused: number;
  readonly accepted: number;
  /** Answers that were neither an id nor a pool refusal (code, or message). */
  readonly other: readonly string[];
}

/**
 * One dev account (the last of `cfg`'s: no load generator uses it) sends `queued` transfers just
 * past a nonce gap, then `tooFar` more far past its next nonce, all on shard key 0.
 */
export async function futureNonceSpam(rpcUrl: string, cfg: Config, queued: number, tooFar: number): Promise<SpamResult> {
  const rpc = new RpcClient(rpcUrl);
  const dev = devAccounts(cfg).at(-1)!;
  const from = { recipient: dev.recipient, fullShardKey: 0 };
  const next = Number(await rpc.call('getTransactionCount', [addressToHex(from), 'pending']));
  const nonces = [...Array.from({ length: queued }, (_, i) => next + 1 + i), ...Array.from({ length: tooFar }, (_, i) => next + 1_000 + i)];
  const r = { sent: 0, refused: 0, accepted: 0, other: [] as string[] };
  for (const nonce of nonces) {
    const tx = signTx({ nonce, gasPrice: GAS_PRICE, gasLimit: GAS_TRANSFER, to: from, value: 1n, networkId: cfg.networkId, fromFullShardKey: 0 }, dev.privateKey);
    r.sent++;
    try {
      await rpc.call('sendRawTransaction', [toHex(encodeTx(tx))]);
      r.accepted++;
    } catch (e) {
      const code = e instanceof RpcError ? (e.data as { code?: string } | undefined)?.code : undefined;
      if (code !== undefined && FUTURE_NONCE_CODES.has(code)) r.refused++;
      else r.other.push(code ?? (e instanceof Error ? e.message : String(e)));
    }
  }
  return r;
}

/** Malformed calls, each of which must get its own JSON-RPC error in the batch's answer. */
const MALFORMED_CALLS: readonly unknown[] = [
  1, 'x', null, [], {},
  { jsonrpc: '1.0', id: 1, method: 'networkInfo' },
  { jsonrpc: '2.0', id: 2, method: 7 },
  { jsonrpc: '2.0', id: 3, method: 'noSuchMethod', params: [] },
  { jsonrpc: '2.0', id: 4, method: 'getBalances', params: ['0xzz'] },
  { jsonrpc: '2.0', id: 5, method: 'getMinorBlockByHeight', params: ['0x1', '-1'] },
  { jsonrpc: '2.0', id: 6, method: 'sendRawTransaction', params: ['0x' + '00'.repeat(177)] },
  { jsonrpc: '2.0', id: 7, method: 'getRootBlockByHeight', params: { height: [] } },
];

/** Posts the malformed batch (and a body that is not JSON): how many calls got an error, and whether the non-JSON body got −32700. */
export async function malformedBatch(rpcUrl: string): Promise<{ readonly calls: number; readonly errors: number; readonly parseError: boolean }> {
  const post = async (body: string): Promise<unknown> => {
    const res = await fetch(rpcUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    return JSON.parse(await res.text()) as unknown;
  };
  const replies = await post(JSON.stringify(MALFORMED_CALLS));
  const errors = Array.isArray(replies) ? replies.filter((x) => typeof (x as { error?: { code?: unknown } }).error?.code === 'number').length : 0;
  const bad = (await post('{"jsonrpc":"2.0",')) as { error?: { code?: number } };
  return { calls: MALFORMED_CALLS.length, errors, parseError: bad.error?.code === -32700 };
}

/** The root tip's height and the sum of every shard's tip height, read over RPC. */
export async function chainHeights(rpcUrl: string): Promise<{ readonly root: number; readonly shards: number }> {
  const rpc = new RpcClient(rpcUrl);
  const info = (await rpc.call('networkInfo', [])) as { shardSizes: string[] };
  const root = Number(((await rpc.call('getRootBlockByHeight', [])) as { height: string }).height);
  let shards = 0;
  for (const [chain, size] of info.shardSizes.entries()) {
    for (let s = 0; s < Number(size); s++) {
      const key = '0x' + ((chain << 16) | s).toString(16);
      shards += Number(((await rpc.call('getMinorBlockByHeight', [key])) as { height: string }).height);
    }
  }
  return { root, shards };
}
