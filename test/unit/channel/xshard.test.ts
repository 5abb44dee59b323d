import { test } from 'node:test';
import assert from 'node:assert/strict';
import { between, deferred, hashFor, patterned, prng, until } from './helpers.js';
import { Harness } from './xshardHarness.js';

const RING = 1024;

test('xshard: a message 10x the ring passes in fragments and is acked after storing', async () => {
  const h = new Harness(1, RING);
  h.startReceiver();
  const payload = patterned(1, 10 * RING);
  const seq = await h.senders[0]!.send({ sourceHash: hashFor(1), payload });
  assert.equal(seq, 1);
  await h.senders[0]!.waitAcked(seq);
  assert.equal(h.received.length, 1);
  assert.deepEqual(h.received[0]!.msg.payload, payload);
  assert.deepEqual(h.received[0]!.msg.sourceHash, hashFor(1));
  assert.equal(h.senders[0]!.acked(), 1);
  h.stop();
});

test('xshard: a full ring holds the sender back, memory stays bounded, nothing is dropped', async () => {
  const maxQueued = 3;
  const h = new Harness(1, RING, {}, { maxQueued });
  const sender = h.senders[0]!;
  const done: number[] = [];
  const sends = Array.from({ length: 12 }, (_, i) =>
    sender.send({ sourceHash: hashFor(i), payload: patterned(i, 300) }).then((seq) => { done.push(seq); }));
  for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
  assert.ok(h.rings[0]!.usedBytes() > RING - 400, 'the ring is (nearly) full');
  assert.ok(done.length < 12, 'some sends wait for space');
  assert.ok(sender.lastSeq() - done.length <= maxQueued, 'accepted but unwritten messages stay within maxQueued');
  h.startReceiver();
  await Promise.all(sends);
  await sender.waitAcked(12);
  assert.deepEqual(done, Array.from({ length: 12 }, (_, i) => i + 1));
  assert.deepEqual(h.received.map((r) => r.msg.seq), done);
  h.received.forEach((r, i) => assert.deepEqual(r.msg.payload, patterned(i, 300)));
  h.stop();
});

test('xshard: acked moves only after onMessage resolves, one message per ring at a time', async () => {
  const h = new Harness(1, RING);
  const gates = [deferred(), deferred()];
  h.store = (_source, msg) => gates[msg.seq - 1]!.promise;
  h.startReceiver();
  const sender = h.senders[0]!;
  await sender.send({ sourceHash: hashFor(1), payload: patterned(1, 50) });
  await sender.send({ sourceHash: hashFor(2), payload: patterned(2, 50) });
  let acked1 = false;
  void sender.waitAcked(1).then(() => { acked1 = true; });
  await until(() => h.received.length === 1);
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
  assert.equal(sender.acked(), 0, 'not acked while the store is pending');
  assert.equal(acked1, false);
  assert.equal(h.received.length, 1, 'seq 2 waits until seq 1 is stored');
  gates[0]!.resolve();
  await sender.waitAcked(1);
  assert.equal(sender.acked(), 1);
  await until(() => h.received.length === 2);
  assert.equal(sender.acked(), 1);
  gates[1]!.resolve();
  await sender.waitAcked(2);
  h.stop();
});

test('xshard: two source rings feed one receiver, each in its own order', async () => {
  const h = new Harness(2, RING);
  h.startReceiver();
  const rand = prng(9);
  const sends: Array<Promise<number>> = [];
  const perSource = [0, 0];
  for (let i = 0; i < 200; i++) {
    const s = rand() < 0.5 ? 0 : 1;
    const tag = s * 100000 + perSource[s]!++;
    sends.push(h.senders[s]!.send({ sourceHash: hashFor(tag), payload: patterned(tag, between(rand, 0, 3 * RING)) }));
  }
  await Promise.all(sends);
  await Promise.all(h.senders.map((s, i) => s.waitAcked(perSource[i]!)));
  for (const s of [0, 1]) {
    const mine = h.received.filter((r) => r.source === s);
    assert.equal(mine.length, perSource[s]);
    mine.forEach((r, i) => {
      assert.equal(r.msg.seq, i + 1);
      assert.deepEqual(r.msg.sourceHash, hashFor(s * 100000 + i));
      assert.deepEqual(r.msg.payload, patterned(s * 100000 + i, r.msg.payload.length));
    });
  }
  h.stop();
});

test('xshard: seeded random sizes with counters and seq starting just below 2^32', async () => {
  const start = 2 ** 32 - 20;
  const h = new Harness(1, RING, { counter: 2 ** 32 - 512, seq: start });
  h.startReceiver();
  const rand = prng(1234);
  const count = 500;
  const sizes = Array.from({ length: count }, () => (rand() < 0.1 ? between(rand, RING, 5 * RING) : between(rand, 0, 200)));
  let last = 0;
  for (let i = 0; i < count; i++) {
    const p = h.senders[0]!.send({ sourceHash: hashFor(i), payload: patterned(i, sizes[i]!) });
    if (rand() < 0.3) last = await p;
    else void p.then((seq) => { last = seq; });
  }
  await until(() => last === (start + count) >>> 0);
  await h.senders[0]!.waitAcked(last);
  assert.equal(h.received.length, count);
  h.received.forEach((r, i) => {
    assert.equal(r.msg.seq, (start + 1 + i) >>> 0);
    assert.deepEqual(r.msg.payload, patterned(i, sizes[i]!));
  });
  h.stop();
});
