import { test } from 'node:test';
import assert from 'node:assert/strict';
import { XshardEndpoint, createXshardLinks, type XshardMessage } from '../../../src/channel/xshardChannel.js';
import { hashFor, patterned } from './helpers.js';

test('xshard channel: links wire every ordered pair; endpoints exchange and ack lists', async () => {
  const shards = 3;
  const links = createXshardLinks(shards, 1024);
  assert.equal(links.length, shards);
  for (const l of links) {
    assert.deepEqual(l.outgoing.map((o) => o.peer), [0, 1, 2].filter((j) => j !== l.shardIndex));
    assert.deepEqual(l.incoming.map((o) => o.peer), l.outgoing.map((o) => o.peer));
  }
  assert.equal(links[0]!.outgoing[0]!.ring, links[1]!.incoming[0]!.ring, 'ring 0→1 is shared by both ends');
  const got: Array<Array<{ source: number; msg: XshardMessage }>> = links.map(() => []);
  const endpoints = links.map((l) => new XshardEndpoint(l, {
    onMessage: async (source, msg) => { got[l.shardIndex]!.push({ source, msg }); },
  }));
  for (const e of endpoints) e.start();
  const tag = (s: number, d: number): number => s * 10 + d;
  const acks: Array<Promise<void>> = [];
  for (let s = 0; s < shards; s++) {
    for (let d = 0; d < shards; d++) {
      if (s === d) continue;
      const sender = endpoints[s]!.sender(d);
      const seq = await sender.send({ sourceHash: hashFor(tag(s, d)), payload: patterned(tag(s, d), 3000) });
      acks.push(sender.waitAcked(seq));
    }
  }
  await Promise.all(acks);
  for (let d = 0; d < shards; d++) {
    assert.equal(got[d]!.length, shards - 1);
    for (const { source, msg } of got[d]!) {
      assert.equal(msg.seq, 1);
      assert.deepEqual(msg.payload, patterned(tag(source, d), 3000));
    }
  }
  assert.throws(() => endpoints[0]!.sender(0), (e: unknown) => (e as { code?: string }).code === 'XSHARD_NO_RING');
  for (const e of endpoints) e.stop();
});
