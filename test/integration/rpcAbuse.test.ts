/**
 * The RPC server under abuse (issue "hostile load" item 2), on a real server on 127.0.0.1: 300
 * slow clients (headers, then a partial body) do not make a real request fail, and each of them
 * is closed once its request deadline passes; a transfer the pool refuses gets an error, never an
 * id; non-loopback addresses are capped per address (loopback is not: local tools share it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { isLoopback } from '../../src/core/netAddress.js';
import { RpcServer } from '../../src/rpc/server.js';
import { signTx } from '../../src/crypto/keys.js';
import { devAccounts } from '../../src/consensus/genesis.js';
import { encodeTx } from '../../src/core/transaction.js';
import { toHex } from '../../src/core/bytes.js';
import { RpcError } from '../../src/rpc/errors.js';
import { post, startNode } from './rpcHarness.js';
import { slowClient } from '../../bench/abuse/rpcAbuse.js';

const SLOW_CLIENTS = 300;
/** Shortened deadlines for the test (the defaults are 30 s and 5 s). */
const REQUEST_TIMEOUT_MS = 1_500;
const HEADERS_TIMEOUT_MS = 1_000;
/** How long after the deadline every slow socket must be closed: the server checks deadlines every 0.5 s. */
const CLOSE_SLACK_MS = 3_000;

test('rpc abuse: slow clients neither block a real request nor outlive the request deadline', { timeout: 60_000 }, async () => {
  const h = await startNode({ limits: { requestTimeoutMs: REQUEST_TIMEOUT_MS, headersTimeoutMs: HEADERS_TIMEOUT_MS } });
  try {
    const slow = await Promise.all(Array.from({ length: SLOW_CLIENTS }, () => slowClient(h.url)));
    const r = await post(h.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'networkInfo', params: [] }));
    assert.equal(r.status, 200, 'a real request is answered while 300 slow clients hold sockets');
    assert.match(r.text, /"networkId"/);
    const lived = await Promise.all(slow.map((s) => s.closed));
    const longest = Math.max(...lived);
    assert.ok(longest <= REQUEST_TIMEOUT_MS + CLOSE_SLACK_MS, `a slow socket lived ${longest} ms past a ${REQUEST_TIMEOUT_MS} ms deadline`);
  } finally {
    await h.close();
  }
});

test('rpc abuse: a transfer the pool refuses gets an error with its code, never an id', async () => {
  const h = await startNode();
  try {
    const dev = devAccounts(h.cfg)[1]!;
    const low = signTx({ nonce: 0, gasPrice: 1_000_000_000n, gasLimit: 20_000, to: { recipient: dev.recipient, fullShardKey: 0 }, value: 1n, networkId: h.cfg.networkId, fromFullShardKey: 0 }, dev.privateKey);
    await assert.rejects(h.pub.call('sendRawTransaction', [toHex(encodeTx(low))]), (e: unknown) => e instanceof RpcError && (e.data as { code?: string })?.code === 'TX_INTRINSIC_GAS');
    const far = signTx({ nonce: 1000, gasPrice: 1_000_000_000n, gasLimit: 21_000, to: { recipient: dev.recipient, fullShardKey: 0 }, value: 1n, networkId: h.cfg.networkId, fromFullShardKey: 0 }, dev.privateKey);
    await assert.rejects(h.pub.call('sendRawTransaction', [toHex(encodeTx(far))]), (e: unknown) => e instanceof RpcError && (e.data as { code?: string })?.code === 'TX_NONCE_TOO_FAR');
  } finally {
    await h.close();
  }
});

test('rpc abuse: non-loopback clients are capped per address; loopback ones are not', () => {
  assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('::ffff:127.0.0.5') && isLoopback('localhost'));
  assert.ok(!isLoopback('127.0.0.1.example') && !isLoopback('0.0.0.0'));
  assert.ok(!isLoopback('10.0.0.7') && !isLoopback('::ffff:10.0.0.7'));
  // The admission hook on fake sockets (a real non-loopback peer needs a network namespace).
  const server = Object.create(RpcServer.prototype) as { perAddress: Map<string, number>; admitSocket(s: unknown): void };
  Object.defineProperty(server, 'perAddress', { value: new Map<string, number>() });
  const sockets = Array.from({ length: 70 }, () => Object.assign(new EventEmitter(), { remoteAddress: '10.0.0.7', destroyed: false, destroy(this: { destroyed: boolean }) { this.destroyed = true; } }));
  for (const s of sockets) server.admitSocket(s);
  assert.equal(sockets.filter((s) => s.destroyed).length, 6, 'the 65th to 70th are refused (64 per address)');
  sockets[0]!.emit('close');
  const next = Object.assign(new EventEmitter(), { remoteAddress: '10.0.0.7', destroyed: false, destroy(this: { destroyed: boolean }) { this.destroyed = true; } });
  server.admitSocket(next);
  assert.equal(next.destroyed, false, 'a closed socket frees its slot');
  const local = Array.from({ length: 100 }, () => Object.assign(new EventEmitter(), { remoteAddress: '127.0.0.1', destroyed: false, destroy(this: { destroyed: boolean }) { this.destroyed = true; } }));
  for (const s of local) server.admitSocket(s);
  assert.equal(local.filter((s) => s.destroyed).length, 0);
});
