import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createXshardLinks } from '../../src/channel/xshardChannel.js';
import type { ChannelWorkerResult } from '../fixtures/channelWorker.js';

const WORKER = new URL('../fixtures/channelWorker.js', import.meta.url);
/** Small rings so many messages wrap the ring and one in ten is fragmented over several rings. */
const RING_BYTES = 4096;

interface Run { readonly results: Promise<ChannelWorkerResult>; readonly exited: Promise<number>; readonly ready: Promise<void> }

function spawn(data: object): Run {
  const worker = new Worker(WORKER, { workerData: data });
  let ready: () => void = () => undefined;
  const readyP = new Promise<void>((r) => { ready = r; });
  const results = new Promise<ChannelWorkerResult>((resolve, reject) => {
    worker.on('message', (m: ChannelWorkerResult | { ready: true }) => {
      if ('ready' in m) ready();
      else resolve(m);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`worker exited (code ${code}) before reporting`)));
  });
  const exited = new Promise<number>((resolve) => worker.on('exit', resolve));
  return { results, exited, ready: readyP };
}

async function stress(producers: number, count: number, seed: number): Promise<void> {
  const links = createXshardLinks(producers + 1, RING_BYTES);
  const dest = producers;
  const sources = Array.from({ length: producers }, (_, i) => i);
  const consumer = spawn({ role: 'consumer', links: links[dest], count, seed, peers: sources, ringBytes: RING_BYTES });
  await consumer.ready;
  // Only the doorbell's handle keeps the consumer alive now; let its event loop idle a little.
  for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
  const runs = sources.map((s) => spawn({ role: 'producer', links: links[s], count, seed, peers: [dest], ringBytes: RING_BYTES }));
  const sent = await Promise.all(runs.map((r) => r.results));
  const got = await consumer.results;
  assert.deepEqual(got.errors, []);
  assert.equal(got.messages, producers * count);
  for (const p of sent) {
    assert.deepEqual(p.errors, []);
    assert.equal(p.messages, count, `producer ${p.shard} saw every message acked`);
  }
  assert.equal(got.bytes, sent.reduce((a, p) => a + p.bytes, 0));
  const codes = await Promise.all([consumer, ...runs].map((r) => r.exited));
  assert.deepEqual(codes, codes.map(() => 0), 'workers exit by themselves once their endpoints stop');
}

test('channel: two worker threads, thousands of random-size lists, in order and intact', async () => {
  await stress(1, 4000, 11);
});

test('channel: two producer workers into one consumer worker', async () => {
  await stress(2, 2000, 12);
});
