import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ring, createRing, frameBytes, MAX_RING_BYTES } from '../../../src/channel/ring.js';
import { between, codeOf, patterned, prng } from './helpers.js';

test('ring: a frame written by the producer is read back once by the consumer', () => {
  const sab = createRing(64);
  const producer = new Ring(sab);
  const consumer = new Ring(sab);
  assert.equal(consumer.read(), null);
  assert.equal(producer.tryWrite(Uint8Array.of(1, 2, 3)), true);
  assert.equal(producer.tryWrite(new Uint8Array(0)), true);
  assert.deepEqual([...consumer.read()!], [1, 2, 3]);
  assert.deepEqual([...consumer.read()!], []);
  assert.equal(consumer.read(), null);
  assert.equal(producer.usedBytes(), 0);
});

test('ring: rejects bad capacities, bad initial counters and oversized frames with codes', () => {
  assert.equal(codeOf(() => createRing(100)), 'RING_CAPACITY');
  assert.equal(codeOf(() => createRing(32)), 'RING_CAPACITY');
  assert.equal(codeOf(() => createRing(MAX_RING_BYTES * 2)), 'RING_CAPACITY');
  assert.equal(codeOf(() => createRing(64, { counter: 6 })), 'RING_INIT');
  assert.equal(codeOf(() => createRing(64, { counter: 2 ** 32 })), 'RING_INIT');
  assert.equal(codeOf(() => new Ring(new SharedArrayBuffer(256))), 'RING_LAYOUT');
  const ring = new Ring(createRing(64));
  assert.equal(ring.maxFrameBytes, 60);
  assert.equal(codeOf(() => ring.tryWrite(new Uint8Array(61))), 'RING_FRAME_TOO_LARGE');
  assert.equal(ring.tryWrite(new Uint8Array(60)), true, 'a frame of exactly maxFrameBytes fills the ring');
  assert.equal(ring.usedBytes(), 64);
});

test('ring: a full ring refuses the write (backpressure) and drops nothing', () => {
  const ring = new Ring(createRing(64));
  const written: number[] = [];
  for (let i = 0; ring.tryWrite(patterned(i, 10)); i++) written.push(i);
  assert.equal(written.length, 4, 'four 16-byte frames fill 64 bytes');
  assert.equal(ring.tryWrite(new Uint8Array(0)), false, 'not even an empty frame fits');
  assert.deepEqual(ring.read(), patterned(0, 10));
  assert.equal(ring.tryWrite(patterned(4, 12)), true, 'space freed by one read is reusable at once');
  for (const i of [1, 2, 3]) assert.deepEqual(ring.read(), patterned(i, 10));
  assert.deepEqual(ring.read(), patterned(4, 12));
  assert.equal(ring.read(), null);
});

test('ring: free-running counters wrap past 2^32 with frames split across the end of the data', () => {
  const start = 2 ** 32 - 3 * 64;
  const ring = new Ring(createRing(64, { counter: start }));
  const rand = prng(7);
  let next = 0;
  let expect = 0;
  let total = 0;
  while (total < 20 * 64) {
    const len = between(rand, 0, 40);
    if (ring.tryWrite(patterned(next, len))) {
      next++;
      total += frameBytes(len);
    }
    if (rand() < 0.5 || next - expect > 3) {
      const got = ring.read();
      if (got !== null) assert.deepEqual(got, patterned(expect++, got.length));
    }
  }
  for (let got = ring.read(); got !== null; got = ring.read()) assert.deepEqual(got, patterned(expect++, got.length));
  assert.equal(expect, next);
  assert.equal(ring.usedBytes(), 0);
});

test('ring: usedBytes is exact across the 2^32 boundary', () => {
  const ring = new Ring(createRing(64, { counter: 2 ** 32 - 8 }));
  assert.equal(ring.tryWrite(new Uint8Array(12)), true);
  assert.equal(ring.usedBytes(), 16, 'head wrapped to 8, tail still 2^32 - 8');
  assert.equal(ring.tryWrite(new Uint8Array(44)), true);
  assert.equal(ring.usedBytes(), 64);
  assert.equal(ring.tryWrite(new Uint8Array(0)), false);
  assert.equal(ring.read()!.length, 12);
  assert.equal(ring.read()!.length, 44);
  assert.equal(ring.usedBytes(), 0);
});

test('ring: seeded random frame sizes keep order and content through separate views', () => {
  const sab = createRing(1024);
  const producer = new Ring(sab);
  const consumer = new Ring(sab);
  const rand = prng(42);
  let sent = 0;
  let received = 0;
  const frames = 5000;
  while (received < frames) {
    const burst = between(rand, 0, 8);
    for (let i = 0; i < burst && sent < frames; i++) {
      const len = between(rand, 0, producer.maxFrameBytes);
      if (!producer.tryWrite(patterned(sent, len))) break;
      sent++;
    }
    const reads = between(rand, 0, 8);
    for (let i = 0; i < reads; i++) {
      const got = consumer.read();
      if (got === null) break;
      assert.deepEqual(got, patterned(received, got.length), `frame ${received}`);
      received++;
    }
  }
  assert.equal(consumer.read(), null);
});

test('ring: a space request is granted once half the ring (or the frame) is free, and only once', () => {
  const sab = createRing(64);
  const producer = new Ring(sab);
  const consumer = new Ring(sab);
  assert.equal(consumer.takeSpaceRequest(), false, 'nothing requested');
  for (let i = 0; i < 4; i++) assert.equal(producer.tryWrite(new Uint8Array(12)), true);
  producer.requestSpaceWake(12);
  consumer.read();
  assert.equal(consumer.takeSpaceRequest(), false, '16 of 64 bytes free: under half');
  consumer.read();
  assert.equal(consumer.takeSpaceRequest(), true, '32 of 64 bytes free');
  assert.equal(consumer.takeSpaceRequest(), false, 'granted once');
  producer.requestSpaceWake(56);
  consumer.read();
  assert.equal(consumer.takeSpaceRequest(), false, 'a 60-byte frame needs more than 48 free bytes');
  consumer.read();
  assert.equal(consumer.takeSpaceRequest(), true);
});

test('ring: ack requests are taken once; sent and acked counters are shared', () => {
  const sab = createRing(64, { seq: 5 });
  const producer = new Ring(sab);
  const consumer = new Ring(sab);
  assert.equal(consumer.takeAckRequest(), false);
  producer.requestAckWake();
  assert.equal(consumer.takeAckRequest(), true);
  assert.equal(consumer.takeAckRequest(), false);
  assert.equal(producer.sent(), 5);
  assert.equal(producer.acked(), 5);
  producer.setSent(6);
  consumer.ack(6);
  assert.equal(consumer.sent(), 6);
  assert.equal(producer.acked(), 6);
});
