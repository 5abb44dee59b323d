import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { createXshardLinks } from '../../src/channel/xshardChannel.js';
import type { ChannelWorkerData, ChannelWorkerResult } from '../fixtures/channelWorker.js';

const WORKER = new URL('../fixtures/channelWorker.js', import.meta.url);
/** Small rings so the counters wrap the ring often and one list in ten spans several rings. */
const RING_BYTES = 4096;

interface Run {
  readonly worker: Worker;
  readonly result: Promise<ChannelWorkerResult>;
  readonly exited: Promise<number>;
  readonly ready: Promise<void>;
}

function spawn(data: ChannelWorkerData): Run {
  const worker = new Worker(WORKER, { workerData: data });
  let ready: () => void = () => undefined;
  const readyP = new Promise<void>((r) => { ready = r; });
  const result = new Promise<ChannelWorkerResult>((resolve, reject) => {
    worker.on('message', (m: ChannelWorkerResult | { ready: true }) => {
      if ('ready' in m) ready();
      else resolve(m);
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`worker exited (code ${code}) before reporting`)));
  });
  result.catch(() => undefined); // awaited later; do not count as unhandled meanwhile
  const exited = new Promise<number>((resolve) => worker.on('exit', resolve));
  return { worker, result, exited, ready: readyP };
}

/** `producers` workers each send `count` lists to one consumer worker, which checks every one. */
async function stress(producers: number, count: number, seed: number): Promise<void> {
  const links = createXshardLinks(producers + 1, RING_BYTES);
  const dest = producers;
  const sources = Array.from({ length: producers }, (_, i) => i);
  const base = { count, seed, ringBytes: RING_BYTES };
  const runs: Run[] = [];
  try {
    const consumer = spawn({ ...base, role: 'consumer', links: links[dest]!, peers: sources });
    runs.push(consumer);
    await consumer.ready;
    // Only the doorbell's handle keeps the consumer alive now; let its event loop idle a while.
    for (let i = 0; i < 50; i++) await new Promise<void>((r) => setImmediate(r));
    for (const s of sources) runs.push(spawn({ ...base, role: 'producer', links: links[s]!, peers: [dest] }));
    const [got, ...sent] = await Promise.all(runs.map((r) => r.result));
    assert.deepEqual(got!.errors, []);
    assert.equal(got!.messages, producers * count);
    for (const p of sent) {
      assert.deepEqual(p.errors, []);
      assert.equal(p.messages, count, `producer ${p.shard} saw every list acked`);
    }
    assert.equal(got!.bytes, sent.reduce((a, p) => a + p.bytes, 0));
    const codes = await Promise.all(runs.map((r) => r.exited));
    assert.deepEqual(codes, codes.map(() => 0), 'workers exit by themselves once their endpoints stop');
  } finally {
    // After a failure a worker may still be listening on its doorbell: end it so the run ends.
    await Promise.all(runs.map((r) => r.worker.terminate()));
  }
}

test('channel: two worker threads, thousands of random-size lists, in order and intact', async () => {
  await stress(1, 4000, 11);
});

test('channel: two producer workers into one consumer worker', async () => {
  await stress(2, 2000, 12);
});
