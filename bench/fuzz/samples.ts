/** The valid objects the fuzzer mutates: the P2P test fixtures' real chain (blocks with transfers, root blocks, one message of every type, and a root-blocks request and response with a shard-block bundle) and deposits built from its transfers. */
import { txHash } from '../../src/core/transaction.js';
import { chainSample, sampleBundleMessages, sampleMessages } from '../../test/unit/p2p/fixtures.js';
import type { Samples } from './targets.js';

export async function fuzzSamples(): Promise<Samples> {
  const c = await chainSample();
  const txs = c.shardBlocks.flatMap((b) => b.txs);
  const deposits = txs.map((tx, i) => ({
    txHash: txHash(tx), from: { recipient: tx.r.subarray(0, 20), fullShardKey: tx.fromFullShardKey }, to: tx.to,
    value: tx.value, gasPrice: tx.gasPrice, gasRemaining: i * 1_000,
  }));
  return { minorBlocks: c.shardBlocks, rootBlocks: c.rootBlocks, deposits, messages: [...Object.values(sampleMessages(c)), ...Object.values(sampleBundleMessages(c))] };
}
