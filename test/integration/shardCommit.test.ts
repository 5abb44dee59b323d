/**
 * Commit outside the serialiser (DESIGN §1, §7): a source shard (a real ShardHost with real
 * rings) whose destination stops acknowledging keeps answering queries, accepting transfers and
 * building candidates; its block is committed, and its event published, only once the
 * destination has durably stored the list.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toHex } from '../../src/core/bytes.js';
import { defaultKeyOf } from '../../src/core/branch.js';
import { configToJson } from '../../src/core/config.js';
import { decodeMinorBlock, decodeMinorHeader, encodeMinorBlock, minorHeaderHash } from '../../src/core/minorBlock.js';
import { encodeRootBlock } from '../../src/core/rootBlock.js';
import { encodeTx } from '../../src/core/transaction.js';
import { createXshardLinks, XshardEndpoint } from '../../src/channel/xshardChannel.js';
import { GAS_TRANSFER } from '../../src/consensus/gas.js';
import { signTx } from '../../src/crypto/keys.js';
import { InProcessShard } from '../../src/shard/inProcessShard.js';
import { LocalNet, sealMinor, testConfig } from '../utils/localNet.js';

const cfg = testConfig({ shards: 2 });
/** How long a call may take while the destination is stalled (generous for a loaded machine). */
const ANSWER_MS = 5_000;

function within<T>(p: Promise<T>, what: string): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { t = setTimeout(() => reject(new Error(`${what}: no answer within ${ANSWER_MS} ms`)), ANSWER_MS); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(t));
}

test('shard commit: a stalled destination does not freeze the source; the block commits when it resumes', { timeout: 60_000 }, async () => {
  // A root block past genesis, so blocks emit (empty) lists to the other shard.
  const net = await LocalNet.open(cfg);
  const rb1 = await net.mineRoot();
  const [S0, S1] = net.ids as [number, number];
  const dev = net.devs[0]!;
  await net.close();

  const links = createXshardLinks(2, cfg.ringBytes);
  const source = await InProcessShard.open({
    configJson: configToJson(cfg), shardId: S0, dir: null, links: links[0]!, shardIds: [S0, S1], workGen: new SharedArrayBuffer(4), kernel: 'js',
  });
  // The destination's end in this thread: it receives, but stores (and so acks) only once released.
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let received = 0;
  const dest = new XshardEndpoint(links[1]!, { onMessage: async () => { received++; await gate; } });
  dest.start();
  try {
    await source.addRootBlock(encodeRootBlock(rb1));
    const block = sealMinor(decodeMinorBlock(await source.createBlockToMine(null)), cfg);
    const hash = toHex(minorHeaderHash(block.header));
    let settled = false;
    const adding = source.addBlock(encodeMinorBlock(block)).finally(() => { settled = true; });
    adding.catch(() => undefined); // awaited below; a failing assertion before that must not leave it unhandled

    // Meanwhile the source serves queries, takes transfers and builds candidates (serialised
    // calls: each runs after the block was stored).
    const first = decodeMinorBlock(await within(source.createBlockToMine(null), 'createBlockToMine'));
    assert.equal(toHex(first.header.hashPrevMinorBlock), hash, 'candidates build on the stored, uncommitted block');
    const st = await within(source.status(), 'status');
    assert.equal(toHex(st.tip.hash), hash, 'the block is stored and is the tip');
    const tx = signTx({
      nonce: 0, gasPrice: 1_000_000_000n, gasLimit: GAS_TRANSFER, to: { recipient: dev.recipient, fullShardKey: defaultKeyOf(S0) },
      value: 1n, networkId: cfg.networkId, fromFullShardKey: defaultKeyOf(S0),
    }, dev.privateKey);
    await within(source.addTx(encodeTx(tx)), 'addTx');
    const next = decodeMinorBlock(await within(source.createBlockToMine(null), 'createBlockToMine'));
    assert.equal(next.txs.length, 1, 'the admitted transfer is in the candidate');
    await within(source.addRootBlock(encodeRootBlock(rb1)), 'addRootBlock');

    // Not committed yet: no event, not among the committed headers.
    await within((async () => { while (received === 0) await new Promise((r) => setTimeout(r, 5)); })(), 'the destination receives the list');
    assert.equal(settled, false, 'addBlock waits for the commit');
    assert.deepEqual((await source.events(0, 0)).events, []);
    assert.deepEqual(await source.committedHeaders(), []);

    release();
    const ev = await within(adding, 'addBlock after the destination resumed');
    assert.equal(toHex(minorHeaderHash(decodeMinorHeader(ev.header))), hash);
    const evs = await source.events(0, 0);
    assert.deepEqual(evs.events.map((e) => toHex(minorHeaderHash(decodeMinorHeader(e.header)))), [hash], 'the event is published on commit');
    assert.equal((await source.committedHeaders()).length, 1);
  } finally {
    release();
    dest.stop();
    await source.close();
  }
});
