import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashFor, patterned, until } from './helpers.js';
import { Harness } from './xshardHarness.js';
import { internal } from '../../../src/core/errors.js';

const RING = 1024;
const hasCode = (code: string) => (e: unknown): boolean => (e as { code?: string }).code === code;

test('xshard: a failed store halts that ring without acking and reports the error', async () => {
  const h = new Harness(1, RING);
  h.store = async (_s, msg) => { if (msg.seq === 2) throw internal('DB_CORRUPT', 'no room'); };
  h.startReceiver();
  const sender = h.senders[0]!;
  for (let i = 1; i <= 3; i++) await sender.send({ sourceHash: hashFor(i), payload: patterned(i, 10) });
  await until(() => h.errors.length === 1);
  assert.equal(h.errors[0]!.err.code, 'DB_CORRUPT');
  assert.equal(h.errors[0]!.source, 0);
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
  assert.equal(sender.acked(), 1, 'seq 2 was never stored, so never acked');
  assert.deepEqual(h.received.map((r) => r.msg.seq), [1, 2], 'seq 3 is not delivered after a failure');
  h.stop();
});

test('xshard: bad input and closed senders reject with stable codes', async () => {
  const h = new Harness(1, RING, {}, { maxMessageBytes: 4096 });
  const sender = h.senders[0]!;
  await assert.rejects(sender.send({ sourceHash: new Uint8Array(31), payload: new Uint8Array(0) }), hasCode('XSHARD_SOURCE_HASH'));
  await assert.rejects(sender.send({ sourceHash: hashFor(0), payload: new Uint8Array(4096) }), hasCode('XSHARD_TOO_LARGE'));
  await assert.rejects(sender.waitAcked(1), hasCode('XSHARD_SEQ_UNKNOWN'));
  const pending = Array.from({ length: 40 }, (_, i) => sender.send({ sourceHash: hashFor(i), payload: patterned(i, 200) }));
  const ack = sender.waitAcked(1);
  sender.close();
  const results = await Promise.allSettled(pending);
  const rejected = results.filter((r) => r.status === 'rejected');
  assert.ok(rejected.length > 0, 'sends still queued when closed are rejected');
  for (const r of rejected) assert.ok(hasCode('XSHARD_CLOSED')(r.reason));
  await assert.rejects(ack, hasCode('XSHARD_CLOSED'));
  await assert.rejects(sender.send({ sourceHash: hashFor(0), payload: new Uint8Array(1) }), hasCode('XSHARD_CLOSED'));
  h.stop();
});
