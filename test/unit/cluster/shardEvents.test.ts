/** The shard event long poll: events in order from the returned cursor, an error logged and polled past, the loop ends on stop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BlockEvent } from '../../../src/shard/protocol.js';
import { pollShardEvents } from '../../../src/cluster/shardEvents.js';

const ev = (txCount: number): BlockEvent => ({ txCount }) as BlockEvent;

test('pollShardEvents: delivers each batch in order, asks from the returned cursor, survives a failed poll, stops', { timeout: 10_000 }, async () => {
  const asked: number[] = [];
  const got: number[] = [];
  const logs: string[] = [];
  let stopped = false;
  const replies: (() => { next: number; events: BlockEvent[] })[] = [
    () => ({ next: 2, events: [ev(1), ev(2)] }),
    () => { throw new Error('worker busy'); },
    () => ({ next: 3, events: [ev(3)] }),
    () => { stopped = true; return { next: 3, events: [] }; },
  ];
  await pollShardEvents({
    shardId: 0x10002,
    events: async (after) => { asked.push(after); return replies.shift()!(); },
  }, { stopped: () => stopped, onEvent: async (e) => { got.push(e.txCount); }, log: (l) => logs.push(l) });
  assert.deepEqual(got, [1, 2, 3]);
  assert.deepEqual(asked, [0, 2, 2, 3]);
  assert.equal(logs.length, 1);
  assert.match(logs[0]!, /^coordinator: events of shard 0x10002: .*worker busy$/);
});
