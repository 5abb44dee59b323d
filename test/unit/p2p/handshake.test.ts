import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bytes } from '../../../src/core/bytes.js';
import { keyOf } from '../../../src/core/bytes.js';
import { checkHandshakeTime, checkHello, checkMessageOrder, HANDSHAKE_TIMEOUT_MS, type LocalIdentity } from '../../../src/p2p/handshake.js';
import { PROTOCOL_VERSION, type Hello, type MessageType } from '../../../src/p2p/messages.js';
import type { PeerDecision } from '../../../src/p2p/peerFault.js';
import { seq } from '../core/codecFixtures.js';
import { chainSample, sampleMessages } from './fixtures.js';

async function pair(): Promise<{ ours: LocalIdentity; theirs: Hello }> {
  const c = await chainSample();
  const hello = sampleMessages(c).HELLO;
  assert.ok(hello.type === 'HELLO');
  const ours: LocalIdentity = { protocolVersion: PROTOCOL_VERSION, networkId: c.networkId, genesisRootHash: c.genesisRootHash, params: c.params, nodeId: seq(32, 0x01) };
  return { ours, theirs: hello };
}

function expectFault(d: PeerDecision, fault: string, fatal: boolean, reason: string): void {
  assert.ok(!d.ok, `expected ${fault}, got ok`);
  assert.deepEqual({ fault: d.fault, fatal: d.fatal, reason: d.reason }, { fault, fatal, reason });
  assert.ok(d.detail.length > 0);
}

test('handshake: a HELLO of the same version, network and genesis from another node passes', async () => {
  const { ours, theirs } = await pair();
  assert.deepEqual(checkHello(theirs, ours), { ok: true });
  assert.deepEqual(checkHello(theirs, ours, () => false), { ok: true });
});

test('handshake: each mismatch is its own fault, checked version → network → genesis → self → duplicate', async () => {
  const { ours, theirs } = await pair();
  expectFault(checkHello({ ...theirs, protocolVersion: PROTOCOL_VERSION + 1 }, ours), 'P2P_VERSION_MISMATCH', true, 'PROTOCOL_VERSION');
  expectFault(checkHello({ ...theirs, networkId: ours.networkId + 1 }, ours), 'P2P_NETWORK_MISMATCH', true, 'NETWORK_ID');
  expectFault(checkHello({ ...theirs, genesisRootHash: seq(32, 9) }, ours), 'P2P_GENESIS_MISMATCH', true, 'GENESIS');
  expectFault(checkHello({ ...theirs, nodeId: ours.nodeId.slice() }, ours), 'P2P_SELF_CONNECT', true, 'SELF_CONNECT');
  const connected = new Set([keyOf(theirs.nodeId)]);
  const isConnected = (id: Bytes): boolean => connected.has(keyOf(id));
  expectFault(checkHello(theirs, ours, isConnected), 'P2P_DUPLICATE_PEER', false, 'DUPLICATE_PEER');

  const everything = { ...theirs, protocolVersion: 99, networkId: 99, genesisRootHash: seq(32, 9), nodeId: ours.nodeId };
  expectFault(checkHello(everything, ours, isConnected), 'P2P_VERSION_MISMATCH', true, 'PROTOCOL_VERSION');
  expectFault(checkHello({ ...everything, protocolVersion: PROTOCOL_VERSION }, ours), 'P2P_NETWORK_MISMATCH', true, 'NETWORK_ID');
  expectFault(checkHello({ ...theirs, nodeId: ours.nodeId }, ours, () => true), 'P2P_SELF_CONNECT', true, 'SELF_CONNECT');
});

test('handshake: HELLO first (DISCONNECT may come before it), and only once', () => {
  const others: MessageType[] = ['NEW_ROOT_TIP', 'NEW_SHARD_TIP', 'NEW_SHARD_BLOCK', 'GET_ROOT_HEADERS', 'ROOT_HEADERS', 'PING', 'PONG'];
  for (const t of others) {
    expectFault(checkMessageOrder(t, false), 'P2P_HELLO_EXPECTED', true, 'HANDSHAKE');
    assert.deepEqual(checkMessageOrder(t, true), { ok: true }, `${t} after HELLO`);
  }
  assert.deepEqual(checkMessageOrder('HELLO', false), { ok: true });
  assert.deepEqual(checkMessageOrder('DISCONNECT', false), { ok: true });
  assert.deepEqual(checkMessageOrder('DISCONNECT', true), { ok: true });
  expectFault(checkMessageOrder('HELLO', true), 'P2P_DUPLICATE_HELLO', true, 'HANDSHAKE');
});

test('handshake: no HELLO within 5 s of connecting closes the connection', () => {
  const t0 = 1_000_000;
  assert.equal(HANDSHAKE_TIMEOUT_MS, 5_000);
  assert.deepEqual(checkHandshakeTime(t0, t0 + HANDSHAKE_TIMEOUT_MS - 1, false), { ok: true });
  expectFault(checkHandshakeTime(t0, t0 + HANDSHAKE_TIMEOUT_MS, false), 'P2P_HANDSHAKE_TIMEOUT', false, 'HANDSHAKE');
  assert.deepEqual(checkHandshakeTime(t0, t0 + 10 * HANDSHAKE_TIMEOUT_MS, true), { ok: true }, 'a completed handshake never times out');
});

test('handshake: another configuration is refused (fatal, CONFIG) naming the first field that differs and both values, before the genesis check', async () => {
  const { ours, theirs } = await pair();
  const params = ours.params.map((p) => (p.name === 'root.algo' ? { ...p, value: 'simulate' } : p));
  const d = checkHello({ ...theirs, params, genesisRootHash: seq(32, 9) }, ours);
  expectFault(d, 'P2P_CONFIG_MISMATCH', true, 'CONFIG');
  assert.ok(!d.ok);
  assert.match(d.detail, /root\.algo is simulate there, \w+ here/);
  assert.match(d.detail, /same chain flags/);
  const fewer = checkHello({ ...theirs, params: ours.params.slice(0, -1) }, ours);
  assert.ok(!fewer.ok && fewer.fault === 'P2P_CONFIG_MISMATCH' && fewer.detail.includes('devBalance is absent there'));
});
