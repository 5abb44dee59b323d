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

test('ring: readInto reuses a buffer; peekInto and skip read a frame in parts', () => {
  const ring = new Ring(createRing(64, { counter: 2 ** 32 - 16 }));
  const buf = new Uint8Array(56);
  assert.equal(ring.readInto(buf), -1);
  ring.tryWrite(patterned(1, 20));
  ring.tryWrite(patterned(2, 20));
  assert.equal(ring.readInto(buf), 20);
  assert.deepEqual(buf.subarray(0, 20), patterned(1, 20));
  assert.equal(ring.nextLength(), 20);
  const part = new Uint8Array(5);
  ring.peekInto(part, 0, 10, 5);
  assert.deepEqual(part, patterned(2, 20).subarray(10, 15));
  ring.skip(20);
  assert.equal(ring.nextLength(), -1);
  ring.tryWrite(patterned(3, 40));
  assert.equal(codeOf(() => ring.readInto(new Uint8Array(39))), 'RING_DST_SHORT');
  assert.deepEqual(ring.read(), patterned(3, 40));
});

test('ring: rejects bad capacities, bad initial counters and oversized frames with codes', () => {
  assert.equal(codeOf(() => createRing(100)), 'RING_CAPACITY');
  assert.equal(codeOf(() => createRing(32)), 'RING_CAPACITY');
  assert.equal(codeOf(() => createRing(MAX_RING_BYTES * 2)), 'RING_CAPACITY');
  assert.equal(codeOf(() => createRing(64, { counter: 4 })), 'RING_INIT', 'frames start 8-byte aligned');
  assert.equal(codeOf(() => createRing(64, { counter: 2 ** 32 })), 'RING_INIT');
  assert.equal(codeOf(() => new Ring(new SharedArrayBuffer(256))), 'RING_LAYOUT');
  const ring = new Ring(createRing(64));
  assert.equal(ring.maxFrameBytes, 56);
  assert.equal(codeOf(() => ring.tryWrite(new Uint8Array(57))), 'RING_FRAME_TOO_LARGE');
  assert.equal(ring.tryWrite(new Uint8Array(56)), true, 'a frame of exactly maxFrameBytes fills the ring');
  assert.equal(ring.usedBytes(), 64);
});

test('ring: a full ring refuses the write (backpressure) and drops nothing', () => {
  const ring = new Ring(createRing(64));
  const written: number[] = [];
  for (let i = 0; ring.tryWrite(patterned(i, 7)); i++) written.push(i);
  assert.equal(written.length, 4, 'four 16-byte frames (8-byte prefix, 7 bytes, 1 of padding) fill 64 bytes');
  assert.equal(ring.tryWrite(new Uint8Array(0)), false, 'not even an empty frame fits');
  assert.deepEqual(ring.read(), patterned(0, 7));
  assert.equal(ring.tryWrite(patterned(4, 8)), true, 'space freed by one read is reusable at once');
  for (const i of [1, 2, 3]) assert.deepEqual(ring.read(), patterned(i, 7));
  assert.deepEqual(ring.read(), patterned(4, 8));
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
  assert.equal(ring.usedBytes(), 24, 'head wrapped to 16, tail still 2^32 - 8');
  assert.equal(ring.tryWrite(new Uint8Array(32)), true);
  assert.equal(ring.usedBytes(), 64);
  assert.equal(ring.tryWrite(new Uint8Array(0)), false);
  assert.equal(ring.read()!.length, 12);
  assert.equal(ring.read()!.length, 32);
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
  for (let i = 0; i < 4; i++) assert.equal(producer.tryWrite(new Uint8Array(8)), true);
  producer.requestSpaceWake(8);
  consumer.read();
  assert.equal(consumer.takeSpaceRequest(), false, '16 of 64 bytes free: under half');
  consumer.read();
  assert.equal(consumer.takeSpaceRequest(), true, '32 of 64 bytes free');
  assert.equal(consumer.takeSpaceRequest(), false, 'granted once');
  producer.requestSpaceWake(56);
  consumer.read();
  assert.equal(consumer.takeSpaceRequest(), false, 'a 56-byte body needs all 64 bytes, 48 are free');
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
