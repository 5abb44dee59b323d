import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, ONE_TOKEN, type Config, type ConsensusParams } from '../../../src/core/config.js';
import { rootHeaderHash } from '../../../src/core/rootBlock.js';
import { minorHeaderHash } from '../../../src/core/minorBlock.js';
import { consensusParams, firstDifference } from '../../../src/consensus/consensusParams.js';
import { minorGenesis, rootGenesis } from '../../../src/consensus/genesis.js';
import { toHex } from '../../../src/core/bytes.js';

const base = defaultConfig();
const withRoot = (o: Partial<ConsensusParams>): Config => ({ ...base, root: { ...base.root, ...o } });
const withShard = (o: Partial<ConsensusParams>): Config => ({ ...base, chains: base.chains.map((c) => ({ ...c, consensus: { ...c.consensus, ...o } })) });

/** Every consensus change, by the name the handshake must report for it. */
const CHANGES: ReadonlyArray<[string, Config]> = [
  ['networkId', { ...base, networkId: 4 }],
  ['chains', defaultConfig({ chains: 2 })],
  ['chains[0].shardSize', defaultConfig({ shards: 8 })],
  ['root.algo', withRoot({ algo: 'simulate' })],
  ['root.targetBlockTime', withRoot({ targetBlockTime: 11 })],
  ['root.genesisDifficulty', withRoot({ genesisDifficulty: base.root.genesisDifficulty + 1n })],
  ['root.minimumDifficulty', withRoot({ minimumDifficulty: 2n })],
  ['root.cutoff', withRoot({ cutoff: 9 })],
  ['root.factor', withRoot({ factor: 32 })],
  ['chains[0].consensus.algo', withShard({ algo: 'qkchash' })],
  ['chains[0].consensus.targetBlockTime', withShard({ targetBlockTime: 1 })],
  ['chains[0].consensus.genesisDifficulty', withShard({ genesisDifficulty: 7n })],
  ['chains[0].consensus.minimumDifficulty', withShard({ minimumDifficulty: 1n })],
  ['chains[0].consensus.cutoff', withShard({ cutoff: 3 })],
  ['chains[0].consensus.factor', withShard({ factor: 1 })],
  ['rootMaxHeadersPerShard', { ...base, rootMaxHeadersPerShard: 31 }],
  ['rootCoinbaseAmount', { ...base, rootCoinbaseAmount: 1n }],
  ['shardCoinbaseAmount', { ...base, shardCoinbaseAmount: 1n }],
  ['taxRate', { ...base, taxRate: { num: 1n, den: 3n } }],
  ['gasLimit', { ...base, gasLimit: 10_000_000, xshardGasLimit: 5_000_000 }],
  ['minGasPrice', { ...base, minGasPrice: 2n }],
  ['genesisTimestamp', { ...base, genesisTimestamp: 1 }],
  ['genesisAlloc', { ...base, genesisAlloc: [{ address: `0x${'11'.repeat(20)}00000000`, balance: ONE_TOKEN }] }],
  ['devAccounts', { ...base, devAccounts: 9 }],
  ['devSeed', { ...base, devSeed: 'another seed' }],
  ['devBalance', { ...base, devBalance: 1n }],
];

test('consensusParams: every consensus change moves the root and shard genesis hashes and is named by firstDifference', () => {
  const g0 = toHex(rootHeaderHash(rootGenesis(base).header));
  const s0 = toHex(minorHeaderHash(minorGenesis(base, 4).block.header));
  const seen = new Set([g0]);
  for (const [name, cfg] of CHANGES) {
    const g = toHex(rootHeaderHash(rootGenesis(cfg).header));
    assert.ok(!seen.has(g), `${name}: the root genesis hash moves`);
    seen.add(g);
    if (cfg.chains[0]!.shardSize === 4) assert.notEqual(toHex(minorHeaderHash(minorGenesis(cfg, 4).block.header)), s0, `${name}: shard genesis moves`);
    assert.equal(firstDifference(consensusParams(base), consensusParams(cfg))?.name, name);
  }
});

test('consensusParams: equal configurations have equal lists and genesis; local knobs (pool, ring) are not consensus', () => {
  assert.equal(firstDifference(consensusParams(base), consensusParams(defaultConfig())), undefined);
  const local = { ...base, txPoolSize: 7, ringBytes: 1 << 16 };
  assert.equal(firstDifference(consensusParams(base), consensusParams(local)), undefined);
  assert.equal(toHex(rootHeaderHash(rootGenesis(local).header)), toHex(rootHeaderHash(rootGenesis(base).header)));
});

test('consensusParams: the difference says both values', () => {
  const d = firstDifference(consensusParams(base), consensusParams(withShard({ algo: 'simulate' })));
  assert.deepEqual(d, { name: 'chains[0].consensus.algo', ours: 'doublesha256', theirs: 'simulate' });
  const long = firstDifference(consensusParams(base), consensusParams({ ...base, devSeed: 'x'.repeat(200) }));
  assert.match(long?.theirs ?? '', /^keccak:0x[0-9a-f]{32}$/, 'a long value travels as its hash');
});
