/** TxRelay over fake hooks: batching, never back to the sender, per-peer caps, dedupe, faults. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bytes } from '../../../../src/core/bytes.js';
import { TX_LEN } from '../../../../src/core/transaction.js';
import { MAX_RELAY_TXS } from '../../../../src/p2p/limits.js';
import { PEER_TX_BURST, PEER_TXS_PER_SEC, TxRelay, type TxRelayHooks } from '../../../../src/p2p/relay/txRelay.js';
import type { PeerFault } from '../../../../src/p2p/peerFault.js';

const S = 0x4;
const tx = (n: number): Bytes => { const b = new Uint8Array(TX_LEN); new DataView(b.buffer).setUint32(0, n); return b; };
const txs = (from: number, count: number): Bytes[] => Array.from({ length: count }, (_v, i) => tx(from + i));
const id = (b: Bytes): number => new DataView(b.buffer, b.byteOffset).getUint32(0);

class Fake implements TxRelayHooks {
  peerIds = ['A', 'B', 'C'];
  readonly sent: { peer: string; ids: number[] }[] = [];
  readonly admitted: number[] = [];
  readonly faults: PeerFault[] = [];
  /** Transfers with an id ≥ this are refused as invalid. */
  invalidFrom = Infinity;
  t = 0;
  peers(): readonly string[] { return this.peerIds; }
  send(peer: string, _s: number, t: readonly Bytes[]): void { this.sent.push({ peer, ids: t.map(id) }); }
  async admit(_s: number, t: readonly Bytes[]): Promise<{ accepted: Bytes[]; invalid: number }> {
    const ok = t.filter((x) => id(x) < this.invalidFrom);
    this.admitted.push(...ok.map(id));
    return { accepted: ok, invalid: t.length - ok.length };
  }
  fault(_p: string, f: PeerFault): void { this.faults.push(f); }
  now(): number { return this.t; }
}

test('accepted transfers go to every peer in batches of at most MAX_RELAY_TXS, once', () => {
  const f = new Fake();
  const r = new TxRelay(f);
  r.onAccepted(S, txs(0, MAX_RELAY_TXS + 10));
  r.flush();
  assert.deepEqual(f.sent.map((s) => [s.peer, s.ids.length]), [['A', MAX_RELAY_TXS], ['A', 10], ['B', MAX_RELAY_TXS], ['B', 10], ['C', MAX_RELAY_TXS], ['C', 10]]);
  r.onAccepted(S, txs(0, 5));
  r.flush();
  assert.equal(f.sent.length, 6, 'every peer knows them already');
});

test('a peer\'s transfers are admitted once, relayed to the others and never back to it; invalid ones count against it', async () => {
  const f = new Fake();
  f.invalidFrom = 8;
  const r = new TxRelay(f);
  await r.onPeerTxs('A', S, txs(0, 10));
  await r.onPeerTxs('B', S, txs(0, 10));
  assert.deepEqual(f.admitted, [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(r.counters.duplicate, 10);
  assert.equal(f.faults.length, 1);
  assert.equal(f.faults[0]!.fault, 'P2P_BAD_TX');
  assert.equal(f.faults[0]!.fatal, false);
  r.flush();
  assert.deepEqual(f.sent.map((s) => s.peer), ['C'], 'A and B each sent them: only C is told');
  assert.deepEqual(f.sent[0]!.ids, [0, 1, 2, 3, 4, 5, 6, 7]);
});

test('a flood from one peer is capped per second; the cap refills with time', async () => {
  const f = new Fake();
  const r = new TxRelay(f);
  await r.onPeerTxs('A', S, txs(0, PEER_TX_BURST + 500));
  assert.equal(f.admitted.length, PEER_TX_BURST);
  assert.equal(r.counters.capped, 500);
  f.t = 500;
  await r.onPeerTxs('A', S, txs(100_000, PEER_TXS_PER_SEC));
  assert.equal(f.admitted.length, PEER_TX_BURST + PEER_TXS_PER_SEC / 2);
  await r.onPeerTxs('B', S, txs(200_000, 10));
  assert.equal(f.admitted.length, PEER_TX_BURST + PEER_TXS_PER_SEC / 2 + 10, 'another peer has its own cap');
});
