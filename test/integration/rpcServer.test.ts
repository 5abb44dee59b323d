/**
 * The JSON-RPC server itself on real sockets: WebSocket calls and newHeads subscriptions, HTTP
 * status and limits (body size, batch length, requests in flight), private methods only where
 * allowed, and a port in use.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { ChainError } from '../../src/core/errors.js';
import type { MethodTable, RpcNode } from '../../src/rpc/context.js';
import type { Json } from '../../src/rpc/json.js';
import { methodTable } from '../../src/rpc/methods/index.js';
import { RpcServer } from '../../src/rpc/server.js';
import { MAX_SUBSCRIPTIONS_PER_SESSION } from '../../src/rpc/subscriptions.js';
import { mineOne, post, startNode, type Harness } from './rpcHarness.js';

type Obj = Record<string, unknown>;

/** A WebSocket client that collects every message. */
class WsClient {
  readonly messages: Obj[] = [];
  private waiters: (() => void)[] = [];
  private id = 1;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => { this.messages.push(JSON.parse(String(d)) as Obj); for (const w of this.waiters.splice(0)) w(); });
  }

  static async open(url: string): Promise<WsClient> {
    const ws = new WebSocket(url.replace('http', 'ws'));
    await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
    return new WsClient(ws);
  }

  async next(pred: (m: Obj) => boolean): Promise<Obj> {
    for (;;) {
      const m = this.messages.find(pred);
      if (m) { this.messages.splice(this.messages.indexOf(m), 1); return m; }
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  async call(method: string, params: unknown[]): Promise<Obj> {
    const id = this.id++;
    this.ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params }));
    return this.next((m) => m.id === id);
  }

  close(): void { this.ws.close(); }
}

let h: Harness;
const rpcPost = async (url: string, body: unknown): Promise<{ status: number; json: Obj | Obj[] | null }> => {
  const r = await post(url, typeof body === 'string' ? body : JSON.stringify(body));
  return { status: r.status, json: r.text ? (JSON.parse(r.text) as Obj) : null };
};

describe('rpc server', { timeout: 60_000 }, () => {
  before(async () => { h = await startNode(); });
  after(async () => { await h.close(); });

  test('WebSocket: calls, newHeads for a shard and the root, unsubscribe, limits', async () => {
    const c = await WsClient.open(h.url);
    try {
      assert.equal(((await c.call('networkInfo', [])).result as Obj).networkId, '0x3');
      const sub = (await c.call('subscribe', ['newHeads', '0x0'])).result as string;
      const rootSub = (await c.call('subscribe', ['newHeads', null])).result as string;
      assert.match(sub, /^0x[0-9a-f]{32}$/);
      const mined = await mineOne(h.pub, '0x0');
      assert.ok(mined.ok);
      const n = await c.next((m) => m.method === 'subscription' && (m.params as Obj).subscription === sub);
      const head = (n.params as Obj).result as Obj;
      assert.equal(head.sealHash, mined.w[0]);
      assert.equal(head.fullShardId, '0x2');
      assert.ok((await mineOne(h.pub, null)).ok);
      const rn = await c.next((m) => m.method === 'subscription' && (m.params as Obj).subscription === rootSub);
      assert.equal(((rn.params as Obj).result as Obj).height, '0x1');
      assert.equal((await c.call('unsubscribe', [sub])).result, true);
      assert.equal((await c.call('unsubscribe', [sub])).result, false);
      assert.equal(((await c.call('subscribe', ['logs', '0x0'])).error as Obj).code, -32602);
      assert.equal(((await c.call('subscribe', ['newHeads', '0x50000'])).error as Obj).code, -32602);
      for (let i = 1; i < MAX_SUBSCRIPTIONS_PER_SESSION; i++) assert.ok((await c.call('subscribe', ['newHeads', '0x1'])).result);
      assert.equal(((await c.call('subscribe', ['newHeads', '0x1'])).error as Obj).code, -32005, 'subscription limit');
      c.ws.send('{not json');
      assert.equal(((await c.next((m) => m.id === null)).error as Obj).code, -32700);
    } finally {
      c.close();
    }
    const r = await rpcPost(h.url, { jsonrpc: '2.0', id: 1, method: 'subscribe', params: ['newHeads', '0x0'] });
    assert.equal(((r.json as Obj).error as Obj).code, -32601, 'no subscriptions over HTTP');
  });

  test('HTTP: status codes, CORS, body and batch limits, notifications', async () => {
    const big = await rpcPost(h.url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'networkInfo', pad: 'x'.repeat(2 << 20) }));
    assert.equal(big.status, 413);
    assert.equal(((big.json as Obj).error as Obj).code, -32600);
    // GET is the dashboard (issue 13); any other method but POST and OPTIONS is 405 with a JSON-RPC error.
    assert.equal((await post(h.url, '', 'GET')).status, 200);
    const put = await post(h.url, '', 'PUT');
    assert.equal(put.status, 405);
    assert.equal((JSON.parse(put.text) as { error: { code: number } }).error.code, -32600);
    const opt = await fetch(h.url, { method: 'OPTIONS' });
    assert.equal(opt.status, 204);
    assert.equal(opt.headers.get('access-control-allow-origin'), '*');
    const batch = Array.from({ length: 101 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'networkInfo' }));
    assert.equal((((await rpcPost(h.url, batch)).json as Obj).error as Obj).code, -32600, 'batch over 100');
    const ok = await rpcPost(h.url, batch.slice(0, 100));
    assert.equal((ok.json as Obj[]).length, 100);
    const note = await rpcPost(h.url, { jsonrpc: '2.0', method: 'networkInfo' });
    assert.deepEqual([note.status, note.json], [204, null]);
  });

  test('private methods: refused on a non-private server, served on the private one', async () => {
    const s = await RpcServer.listen({ host: '127.0.0.1', port: 0, methods: methodTable(), node: h.rpc.node, privateAllowed: false, hub: null });
    try {
      for (const m of ['getStats', 'setMining', 'createTransactions']) {
        assert.equal((((await rpcPost(s.url, { jsonrpc: '2.0', id: 1, method: m, params: [] })).json as Obj).error as Obj).code, -32601, m);
      }
      assert.ok(((await rpcPost(s.url, { jsonrpc: '2.0', id: 1, method: 'networkInfo' })).json as Obj).result);
      assert.ok(((await rpcPost(h.privUrl, { jsonrpc: '2.0', id: 1, method: 'getStats' })).json as Obj).result);
    } finally {
      await s.close();
    }
  });

  test('requests in flight are bounded: the excess gets −32005 at once', async () => {
    let release: () => void = () => undefined;
    let entered: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    const inside = new Promise<void>((r) => { entered = r; });
    const methods: MethodTable = new Map([['slow', { handler: async (): Promise<Json> => { entered(); await gate; return 'done'; } }]]);
    const s = await RpcServer.listen({ host: '127.0.0.1', port: 0, methods, node: {} as unknown as RpcNode, privateAllowed: false, hub: null, limits: { maxConcurrent: 1 } });
    try {
      const first = rpcPost(s.url, { jsonrpc: '2.0', id: 1, method: 'slow' });
      await inside;
      const second = (await rpcPost(s.url, { jsonrpc: '2.0', id: 2, method: 'slow' })).json as Obj;
      assert.equal((second.error as Obj).code, -32005, 'a second request while one is in flight is refused');
      release();
      assert.equal(((await first).json as Obj).result, 'done');
    } finally {
      release();
      await s.close();
    }
  });

  test('a port in use is a coded error naming it', async () => {
    const port = Number(new URL(h.url).port);
    await assert.rejects(RpcServer.listen({ host: '127.0.0.1', port, methods: methodTable(), node: h.rpc.node, privateAllowed: false, hub: null }),
      (e) => e instanceof ChainError && e.code === 'PORT_IN_USE' && e.message.includes(String(port)));
  });
});
