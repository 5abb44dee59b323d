/** JSON-RPC 2.0 envelopes: single calls, batches, notifications, every error code. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { invalid, internal } from '../../../src/core/errors.js';
import type { CallContext, MethodTable, RpcNode } from '../../../src/rpc/context.js';
import { handleMessage } from '../../../src/rpc/dispatch.js';
import { invalidParams } from '../../../src/rpc/errors.js';
import type { Json } from '../../../src/rpc/json.js';

const methods: MethodTable = new Map([
  ['echo', { handler: async (p: unknown): Promise<Json> => (p === undefined ? null : Array.isArray(p) ? p[0] ?? null : 'object') as Json }],
  ['bad', { handler: async (): Promise<Json> => { throw invalidParams('nope'); } }],
  ['rejects', { handler: async (): Promise<Json> => { throw invalid('TX_NONCE_TOO_LOW', 'too low'); } }],
  ['breaks', { handler: async (): Promise<Json> => { throw internal('DB_CORRUPT', 'oops'); } }],
  ['secret', { handler: async (): Promise<Json> => 42, private: true }],
]);
const ctx = (privateAllowed = false): CallContext => ({ node: {} as unknown as RpcNode, privateAllowed, session: null });
const call = async (body: unknown, priv = false): Promise<unknown> => {
  const out = await handleMessage(typeof body === 'string' ? body : JSON.stringify(body), methods, ctx(priv), 3);
  return out === null ? null : JSON.parse(out);
};

test('dispatch: a call echoes its id and returns the result', async () => {
  assert.deepEqual(await call({ jsonrpc: '2.0', id: 7, method: 'echo', params: ['x'] }), { jsonrpc: '2.0', id: 7, result: 'x' });
  assert.deepEqual(await call({ jsonrpc: '2.0', id: 'a', method: 'echo', params: { k: 1 } }), { jsonrpc: '2.0', id: 'a', result: 'object' });
  assert.deepEqual(await call({ jsonrpc: '2.0', id: null, method: 'echo' }), { jsonrpc: '2.0', id: null, result: null });
});

test('dispatch: error codes for malformed JSON, envelopes, unknown and private methods, and thrown errors', async () => {
  const code = async (body: unknown, priv = false): Promise<number> => ((await call(body, priv)) as { error: { code: number } }).error.code;
  assert.equal(await code('{"jsonrpc":'), -32700);
  assert.equal(await code(5), -32600);
  assert.equal(await code({ jsonrpc: '1.0', id: 1, method: 'echo' }), -32600);
  assert.equal(await code({ jsonrpc: '2.0', id: {}, method: 'echo' }), -32600);
  assert.equal(await code({ jsonrpc: '2.0', id: 1, method: 5 }), -32600);
  assert.equal(await code({ jsonrpc: '2.0', id: 1, method: 'echo', params: 'x' }), -32600);
  assert.equal(await code({ jsonrpc: '2.0', id: 1, method: 'missing' }), -32601);
  assert.equal(await code({ jsonrpc: '2.0', id: 1, method: '__proto__' }), -32601);
  assert.equal(await code({ jsonrpc: '2.0', id: 1, method: 'secret' }), -32601);
  assert.deepEqual(await call({ jsonrpc: '2.0', id: 1, method: 'secret' }, true), { jsonrpc: '2.0', id: 1, result: 42 });
  assert.equal(await code({ jsonrpc: '2.0', id: 1, method: 'bad' }), -32602);
  const rejected = (await call({ jsonrpc: '2.0', id: 1, method: 'rejects' })) as { error: { code: number; data: { code: string } } };
  assert.equal(rejected.error.code, -32000);
  assert.equal(rejected.error.data.code, 'TX_NONCE_TOO_LOW');
  assert.equal(await code({ jsonrpc: '2.0', id: 1, method: 'breaks' }), -32603);
});

test('dispatch: batches keep order, drop notifications, and are bounded', async () => {
  const r = await call([
    { jsonrpc: '2.0', id: 1, method: 'echo', params: [1] },
    { jsonrpc: '2.0', method: 'echo', params: [2] },
    { jsonrpc: '2.0', id: 3, method: 'missing' },
  ]);
  assert.ok(Array.isArray(r));
  assert.deepEqual(r.map((x: { id: number }) => x.id), [1, 3]);
  assert.equal(await call([{ jsonrpc: '2.0', method: 'echo' }]), null, 'notifications only: no reply');
  assert.equal(await call({ jsonrpc: '2.0', method: 'echo' }), null);
  assert.equal(((await call([])) as { error: { code: number } }).error.code, -32600);
  const big = Array.from({ length: 4 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'echo' }));
  assert.equal(((await call(big)) as { error: { code: number } }).error.code, -32600, 'batch over the limit of 3');
  const mixed = (await call([1, { jsonrpc: '2.0', id: 2, method: 'echo', params: ['ok'] }])) as { id: unknown }[];
  assert.equal(mixed.length, 2);
});
