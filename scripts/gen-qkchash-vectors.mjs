#!/usr/bin/env node
/**
 * Writes test/vectors/qkchash.json: QuarkChain's published vectors (goquarkchain
 * consensus/qkchash algorithm_test.go: cache of an empty seed, two hashes, epoch seeds) plus
 * extra vectors on real epoch caches computed with the slow reference implementation
 * (src/pow/qkchash/reference.ts). Needs a build (`npx tsc -p .`) first.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { makeQkchashCache, qkchashCacheForHeight } from '../dist/src/pow/qkchash/cache.js';
import { qkchashHashReference } from '../dist/src/pow/qkchash/hash.js';

const hex = (b) => Buffer.from(b).toString('hex');
const published = {
  source: 'goquarkchain consensus/qkchash/algorithm_test.go (TestGenerateCache, TestQKCHash, TestGetSeedFromBlockNumber)',
  emptySeedCache: { seed: '', length: 65536, first: '71869947341538' },
  hashes: [
    { cacheSeed: '', seed40: '00'.repeat(40), mix: '22da7bf17b573e402c71211a9c96e5631dafcbeda1fc5b7812a2d6529408b207', result: '776fb98b9328713a3d45f5e2e6a3e2238acc55749ad9b4c6d21bfbf8c940ab60' },
    { cacheSeed: '', seed40: Buffer.from('Hello World!').toString('hex') + '00'.repeat(28), mix: '37e6b7575e9bcf572bb9f4f60baacb738a75d0f1692f3be6c526488d30fe198f', result: 'bf36c170967632ce8d55c6bb7f2dafbe1d1a5d94fa542a671362e17f803940ce' },
  ],
  epochSeeds: [
    [0, '00'.repeat(32)], [2999, '00'.repeat(32)], [3001, '00'.repeat(32)],
    [959999, '7e7d8bef9d86983accafa937aed08042391d6f435bc640e50a9c38927de9b299'],
    [960000, '5a46dd85298b0beff65ccf3006c4b5d2f7fa6ca8a5885a7f2132714fe7a48602'],
    [1919999, '1e484311694bb35f3eb466a15767b60533ec91a7971f53a09837bc946bd861db'],
    [1920000, '4220f7b47dc9e1f91e2d7c117a12e9158ce7a78185c805d21338759838f6f55d'],
  ].map(([height, seed]) => ({ height, seed })),
  fakeCacheMix: {
    source: 'goquarkchain consensus/qkchash/native/wrapper_test.go TestHash ("verified with cpp-py version")',
    cache: 'the 65536 values 2*i for i = 0..65535',
    seedWords: ['1', '2', '3', '4', '5', '6', '7', '8'],
    mixWords: ['0x720e8da04bf3b232', '0x8dbfff09fd460b1c', '0xa6355a7ce4041df8', '0x968d37a76ffa20ee'],
  },
};

const empty = makeQkchashCache(new Uint8Array(0));
if (String(empty.values[0]) !== published.emptySeedCache.first) throw new Error('cache generation disagrees with the published value');

const cases = [
  [0, '00'.repeat(32), 0n],
  [0, 'ff'.repeat(32), 1n],
  [29999, '0123456789abcdef'.repeat(4), 0x0102030405060708n],
  [30000, 'fedcba9876543210'.repeat(4), 0xffffffffffffffffn],
  [45000, (2n ** 256n - 1234567890n).toString(16), 11n],
];
const extra = cases.map(([height, sealHash, nonce]) => {
  const out = qkchashHashReference(qkchashCacheForHeight(height), Buffer.from(sealHash, 'hex'), nonce);
  return { height, sealHash, nonce: '0x' + nonce.toString(16), mix: hex(out.mix), result: hex(out.result) };
});

const doc = {
  description: 'QKCHash (plain, not QKCHashX) vectors. All hex without 0x except nonces. seed40 = sealHash ‖ nonce u64 little-endian.',
  published,
  reference: { source: 'src/pow/qkchash/reference.ts (plain sorted-array implementation) on epoch caches', hashes: extra },
};
const target = new URL('../test/vectors/qkchash.json', import.meta.url);
writeFileSync(target, JSON.stringify(doc, null, 2) + '\n');
process.stdout.write(`wrote ${fileURLToPath(target)}\n`);
