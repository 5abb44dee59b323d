import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allShardIds, configFromJson, configToJson, defaultConfig, validateConfig, type Config } from '../../../src/core/config.js';
import type { ChainError } from '../../../src/core/errors.js';
import { minorGenesis, rootGenesis } from '../../../src/consensus/genesis.js';
import { minorHeaderHash } from '../../../src/core/minorBlock.js';
import { rootHeaderHash } from '../../../src/core/rootBlock.js';
import { toHex } from '../../../src/core/bytes.js';

test('config: local defaults of DESIGN §5', () => {
  const c = defaultConfig();
  assert.deepEqual(allShardIds(c), [4, 5, 6, 7]);
  assert.equal(c.chains[0]!.consensus.cutoff, 2);
  assert.equal(c.root.cutoff, 7);
  assert.equal(c.root.factor, 64);
  assert.equal(c.chains[0]!.consensus.minimumDifficulty, c.chains[0]!.consensus.genesisDifficulty / 16n);
  assert.equal(c.rootMaxHeadersPerShard, 32);
  assert.equal(c.xshardGasLimit, c.gasLimit / 2);
});

test('config: bad configuration fails fast with a clear message', () => {
  const bad = (patch: Partial<Config>, re: RegExp): void => {
    assert.throws(() => validateConfig({ ...defaultConfig(), ...patch }), (e: ChainError) => e.code === 'BAD_CONFIG' && re.test(e.message));
  };
  bad({ chains: [{ shardSize: 3, consensus: defaultConfig().chains[0]!.consensus }] }, /power of two/);
  bad({ chains: Array.from({ length: 3 }, () => ({ shardSize: 32, consensus: defaultConfig().chains[0]!.consensus })) }, /exceeds the cap/);
  bad({ xshardGasLimit: 1 }, /gasLimit \/ 2/);
  bad({ taxRate: { num: 2n, den: 2n } }, /taxRate/);
  bad({ root: { ...defaultConfig().root, minimumDifficulty: 0n } }, /minimum difficulty/);
  bad({ root: { ...defaultConfig().root, algo: 'scrypt' as never } }, /unknown algorithm/);
  bad({ ringBytes: 1000 }, /ringBytes/);
  assert.throws(() => defaultConfig({ shards: 6 }), (e: ChainError) => e.code === 'BAD_CONFIG');
});

test('config: JSON round trip keeps bigints', () => {
  const c = defaultConfig({ chains: 2, shards: 2, algo: 'simulate' });
  assert.deepEqual(configFromJson(configToJson(c)), c);
});

test('genesis: a pure function of the configuration', () => {
  const a = defaultConfig({ shards: 4 });
  const b = defaultConfig({ shards: 4 });
  assert.equal(toHex(rootHeaderHash(rootGenesis(a).header)), toHex(rootHeaderHash(rootGenesis(b).header)));
  for (const id of allShardIds(a)) {
    assert.equal(toHex(minorHeaderHash(minorGenesis(a, id).block.header)), toHex(minorHeaderHash(minorGenesis(b, id).block.header)));
  }
  const other = defaultConfig({ shards: 4, shardDifficulty: 123n });
  assert.notEqual(toHex(minorHeaderHash(minorGenesis(other, 4).block.header)), toHex(minorHeaderHash(minorGenesis(a, 4).block.header)));
  // Dev accounts are funded on every shard.
  const s4 = minorGenesis(a, 4).state;
  const s7 = minorGenesis(a, 7).state;
  assert.equal(s4.size, a.devAccounts);
  assert.equal(toHex(s4.root()), toHex(s7.root()), 'the same accounts on every shard');
});
