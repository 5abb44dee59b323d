// The real sealer Piscina worker (dist/workers/sealer.js): bench, checksum and sealSlice tasks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Piscina } from 'piscina';
import { SEALER_WORKER_URL } from '../../../src/pow/sealerPool.js';
import type { BenchResult } from '../../../src/pow/bench.js';
import { runChecksum } from '../../../src/pow/bench.js';
import { MAX_U256 } from '../../../src/consensus/target.js';
import { oracleSearch } from './helpers.js';

test('sealer worker: bench counts hashes, checksums agree across kernels, sealSlice finds the oracle hit', async () => {
  const pool = new Piscina({ filename: SEALER_WORKER_URL, minThreads: 1, maxThreads: 1 });
  try {
    const b = (await pool.run({ algo: 'doublesha256', kernel: 'js', thread: 0, durationMs: 30 }, { name: 'bench' })) as BenchResult;
    assert.ok(b.hashes > 0 && b.elapsedMs >= 30);
    assert.equal(b.kernel, 'js');
    assert.match(b.log, /^pow: doublesha256 kernel js/);
    const sums = new Set<string>();
    for (const kernel of ['js', 'auto'] as const) sums.add((await pool.run({ algo: 'doublesha256', kernel }, { name: 'checksum' })) as string);
    sums.add(runChecksum({ algo: 'doublesha256', kernel: 'js' }));
    assert.equal(sums.size, 1, 'the same checksum from every kernel');
    const seal = new Uint8Array(32).fill(9);
    const target = MAX_U256 >> 10n;
    const want = oracleSearch(seal, target, 1000n, 1 << 16)!;
    const r = (await pool.run({ algo: 'doublesha256', kernel: 'auto', sealHash: seal, target, startNonce: 1000n, height: 0, maxMs: 5000 }, { name: 'sealSlice' })) as { found: { nonce: bigint } };
    assert.equal(r.found.nonce, want.nonce);
  } finally {
    await pool.destroy();
  }
});
