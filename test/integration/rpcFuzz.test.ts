/**
 * Fuzzing the JSON-RPC server (issue 5): random bytes, random JSON, and mutations of valid
 * requests for every method (params swapped, dropped, added, hex flipped, bodies truncated,
 * batches), over HTTP and WebSocket. The node must not crash and every reply must be valid
 * JSON-RPC 2.0. The generator is seeded (FUZZ_SEED to replay a run).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { addressToHex } from '../../src/core/address.js';
import { toHex } from '../../src/core/bytes.js';
import { encodeTx } from '../../src/core/transaction.js';
import { devAccounts } from '../../src/consensus/genesis.js';
import { signTx } from '../../src/crypto/keys.js';
import { methodTable } from '../../src/rpc/methods/index.js';
import { startNode, type Harness } from './rpcHarness.js';

/** Requests per transport: enough to reach every method with many shapes, a few seconds in all. */
const HTTP_CASES = 1500;
const WS_CASES = 300;
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed);

let state = SEED >>> 0 || 1;
function rand(): number {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state / 2 ** 32;
}
const int = (n: number): number => Math.floor(rand() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;

function randomString(): string {
  const kinds = [
    () => '0x' + Array.from({ length: int(80) }, () => '0123456789abcdefABCDEFxz'[int(24)]).join(''),
    () => Array.from({ length: int(20) }, () => String.fromCharCode(int(0x3000))).join(''),
    () => pick(['latest', 'earliest', 'pending', 'newHeads', '', '0x', '0x0', 'null', '__proto__', 'constructor']),
    () => '0x' + '00'.repeat(pick([20, 24, 32, 36, 65, 177])),
  ];
  return pick(kinds)();
}

function randomJson(depth = 0): unknown {
  const k = int(depth > 2 ? 5 : 7);
  switch (k) {
    case 0: return null;
    case 1: return rand() < 0.5;
    case 2: return pick([0, -1, 1.5, 2 ** 53, 1e308, -0, 0xffffffff, int(1000)]);
    case 3: case 4: return randomString();
    case 5: return Array.from({ length: int(5) }, () => randomJson(depth + 1));
    default: return Object.fromEntries(Array.from({ length: int(4) }, () => [pick(['a', 'id', 'numTxPerShard', 'xShardPercent', 'to', 'nonce', 'v', randomString()]), randomJson(depth + 1)]));
  }
}

function validBases(h: Harness): { method: string; params: unknown }[] {
  const [, , a, b] = devAccounts(h.cfg);
  const tx = signTx({ nonce: 0, gasPrice: 1_000_000_000n, gasLimit: 21_000, to: { recipient: b!.recipient, fullShardKey: 0 }, value: 1n, networkId: 3, fromFullShardKey: 0 }, a!.privateKey);
  const addr = addressToHex({ recipient: a!.recipient, fullShardKey: 0 });
  const hash = '0x' + '5a'.repeat(32);
  const id = hash + '00000000';
  return [
    { method: 'networkInfo', params: [] }, { method: 'getMiningConfig', params: [] },
    { method: 'getWork', params: [null] }, { method: 'getWork', params: ['0x0', '0x' + '11'.repeat(20)] },
    { method: 'submitWork', params: ['0x0', hash, '0x1', '0x' + '00'.repeat(32)] },
    { method: 'sendRawTransaction', params: [toHex(encodeTx(tx))] },
    { method: 'sendTransaction', params: [{ nonce: '0x0', to: toHex(b!.recipient), toFullShardKey: '0x00000001', value: '0x1', fromFullShardKey: '0x00000000', v: '0x0', r: '0x1', s: '0x1' }] },
    { method: 'getTransactionCount', params: [addr] }, { method: 'getBalances', params: [addr, '0x0'] },
    { method: 'getTransactionById', params: [id] }, { method: 'getTransactionReceipt', params: [id] },
    { method: 'getMinorBlockByHeight', params: ['0x0', '0x0', true] }, { method: 'getMinorBlockById', params: [id, true] },
    { method: 'getRootBlockByHeight', params: ['0x0'] }, { method: 'getRootBlockById', params: [hash] },
    { method: 'getStats', params: [] }, { method: 'subscribe', params: ['newHeads', '0x0'] }, { method: 'unsubscribe', params: ['0x1'] },
  ];
}

function mutateValue(v: unknown): unknown {
  if (typeof v === 'string' && v.length > 2 && rand() < 0.5) {
    const i = 2 + int(v.length - 2);
    return pick([v.slice(0, i), v + pick(['0', '00', 'g']), v.slice(0, i) + pick(['z', 'F', '0', ' ']) + v.slice(i + 1)]);
  }
  return randomJson();
}

function mutate(base: { method: string; params: unknown }, methods: string[]): unknown {
  const req: Record<string, unknown> = { jsonrpc: '2.0', id: int(1000), method: base.method, params: structuredClone(base.params) };
  const p = req.params as unknown[];
  for (let n = 1 + int(3); n > 0; n--) {
    switch (int(9)) {
      case 0: if (p.length) p[int(p.length)] = mutateValue(p[int(p.length)]); break;
      case 1: p.splice(int(p.length + 1), 0, randomJson()); break;
      case 2: p.pop(); break;
      case 3: req.method = rand() < 0.7 ? pick(methods) : randomString(); break;
      case 4: req.id = randomJson(2); break;
      case 5: delete req.jsonrpc; break;
      case 6: req.params = randomJson(1); break;
      case 7: if (p.length && typeof p[0] === 'object' && p[0] !== null) { const o = p[0] as Record<string, unknown>; const keys = Object.keys(o); if (keys.length) o[pick(keys)] = mutateValue(o[pick(keys)]); } break;
      default: if (p.length) p[int(p.length)] = mutateValue(p[int(p.length)]);
    }
  }
  return req;
}

/** One fuzz body: mutated requests, batches of them, random JSON, or broken text. */
function body(bases: { method: string; params: unknown }[], methods: string[]): string {
  const r = rand();
  if (r < 0.55) return JSON.stringify(mutate(pick(bases), methods));
  if (r < 0.7) return JSON.stringify(Array.from({ length: int(rand() < 0.05 ? 130 : 6) }, () => (rand() < 0.8 ? mutate(pick(bases), methods) : randomJson(1))));
  if (r < 0.8) return JSON.stringify(randomJson());
  const s = JSON.stringify(mutate(pick(bases), methods));
  if (r < 0.9) return s.slice(0, int(s.length));
  const i = int(s.length);
  return s.slice(0, i) + Buffer.from(Array.from({ length: 1 + int(8) }, () => int(256))).toString('latin1') + s.slice(i);
}

function isReply(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  if (o.jsonrpc !== '2.0' || !('id' in o)) return false;
  if (!(o.id === null || typeof o.id === 'string' || typeof o.id === 'number')) return false;
  if (Object.keys(o).some((k) => !['jsonrpc', 'id', 'result', 'error'].includes(k))) return false;
  if (('result' in o) === ('error' in o)) return false;
  if ('error' in o) {
    const e = o.error as Record<string, unknown>;
    return typeof e === 'object' && e !== null && Number.isInteger(e.code) && typeof e.message === 'string';
  }
  return true;
}

function assertValid(text: string, what: string): void {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    assert.fail(`${what}: reply is not JSON: ${text.slice(0, 200)}`);
  }
  const ok = Array.isArray(v) ? v.length > 0 && v.every(isReply) : isReply(v);
  assert.ok(ok, `${what}: not a JSON-RPC reply: ${text.slice(0, 300)}`);
}

let h: Harness;

describe('rpc fuzz', { timeout: 120_000 }, () => {
  before(async () => { h = await startNode(); });
  after(async () => { await h.close(); });

  test(`HTTP: ${HTTP_CASES} random and mutated bodies (seed ${SEED}) get valid JSON-RPC replies`, async () => {
    const bases = validBases(h);
    const methods = [...methodTable().keys()];
    for (let i = 0; i < HTTP_CASES; i++) {
      const b = body(bases, methods);
      const res = await fetch(h.url, { method: 'POST', body: b });
      const text = await res.text();
      if (res.status === 204) { assert.equal(text, '', 'a 204 has no body'); continue; }
      assertValid(text, `case ${i} (HTTP ${res.status}) for ${b.slice(0, 200)}`);
    }
    assert.equal(((await h.pub.call('networkInfo')) as { networkId: string }).networkId, '0x3', 'the node still answers');
    assert.equal((await h.node.status()).shards.length, 2, 'every shard still answers');
  });

  test(`WebSocket: ${WS_CASES} random and mutated messages get valid replies; the connection survives`, async () => {
    const bases = validBases(h);
    const methods = [...methodTable().keys()];
    const ws = new WebSocket(h.url.replace('http', 'ws'));
    await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
    const replies: string[] = [];
    ws.on('message', (d) => replies.push(String(d)));
    for (let i = 0; i < WS_CASES; i++) ws.send(body(bases, methods));
    // Sent all at once, the fuzz exceeds the requests-in-flight limit (those get −32005): ask until answered.
    const end = Date.now() + 30_000;
    while (!replies.some((r) => r.includes('"id":"last"')) && Date.now() < end) {
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: 'last', method: 'networkInfo' }));
      await new Promise((r) => setTimeout(r, 100));
    }
    ws.close();
    assert.ok(replies.some((r) => r.includes('"id":"last"')), 'the connection still answers after the fuzz');
    for (const [i, r] of replies.entries()) {
      const v = JSON.parse(r) as Record<string, unknown>;
      if (v.method === 'subscription') continue;
      assertValid(r, `ws reply ${i}`);
    }
  });
});
