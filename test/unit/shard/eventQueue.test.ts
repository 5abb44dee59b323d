/**
 * EventQueue: bounded, and no header lost silently. A poller that keeps up gets every event in
 * order; one that fell behind past a compaction gets `gap: true` with the committed headers
 * (recovery list) followed by every kept event, so it still learns every header.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventQueue } from '../../../src/shard/eventQueue.js';
import type { BlockEvent } from '../../../src/shard/protocol.js';

const ev = (n: number): BlockEvent => ({ header: Uint8Array.of(n >> 8, n & 0xff), isTip: true, mined: false, txCount: 0, appliedDeposits: 0 });
const ids = (evs: readonly BlockEvent[]): number[] => evs.map((e) => (e.header[0]! << 8) | e.header[1]!);

test('eventQueue: a poller that keeps up reads every event once, in order, without a gap', async () => {
  const q = new EventQueue(() => [], 8);
  let after = 0;
  const seen: number[] = [];
  for (let i = 1; i <= 30; i++) {
    q.push(ev(i));
    if (i % 5 === 0) {
      const r = await q.poll(after, 0);
      assert.equal(r.gap, undefined);
      seen.push(...ids(r.events));
      after = r.next;
    }
  }
  assert.deepEqual(seen, Array.from({ length: 30 }, (_, i) => i + 1));
});

test('eventQueue: overflow never drops a header silently: the lagging poller gets a gap and every header', async () => {
  const MAX = 8;
  const total = 50;
  // Blocks 1..40 are below the confirmed tip (in a root block already); 41..50 committed since.
  const committedSinceConfirmed = Array.from({ length: 10 }, (_, i) => ev(41 + i));
  const q = new EventQueue(() => committedSinceConfirmed, MAX);
  for (let i = 1; i <= total; i++) q.push(ev(i));
  const r = await q.poll(0, 0);
  assert.equal(r.gap, true, 'the poller is told it missed compacted events');
  assert.equal(r.next, total);
  const got = new Set(ids(r.events));
  for (let i = 41; i <= total; i++) assert.ok(got.has(i), `header ${i} (after the confirmed tip) is delivered`);
  assert.equal(ids(r.events).length, got.size, 'no header twice');
  assert.ok(r.events.length <= MAX + committedSinceConfirmed.length);
  // Caught up: the next poll has no gap.
  q.push(ev(total + 1));
  const r2 = await q.poll(r.next, 0);
  assert.deepEqual({ gap: r2.gap, ids: ids(r2.events) }, { gap: undefined, ids: [total + 1] });
});

test('eventQueue: the long poll waits for the next event, or returns [] after waitMs', async () => {
  const q = new EventQueue(() => []);
  const t0 = Date.now();
  const empty = await q.poll(0, 30);
  assert.deepEqual(empty.events, []);
  assert.ok(Date.now() - t0 >= 25);
  const waiting = q.poll(0, 10_000);
  q.push(ev(1));
  assert.deepEqual(ids((await waiting).events), [1]);
});
