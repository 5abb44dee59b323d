/** qkchash kernel in JavaScript: the fast undo-log set (bucketSet.ts) per thread and epoch. */
import { invalid } from '../../core/errors.js';
import { checkJob, nonceAt, targetToBigint } from '../job.js';
import type { Kernel, SealJob, SearchResult } from '../types.js';
import { qkchashCacheForHeight } from '../../hashing/qkchash/cache.js';
import { qkchashWorker } from '../../hashing/qkchash/hash.js';

function resultValue(r: Uint8Array): bigint {
  let x = 0n;
  for (let i = 0; i < 32; i++) x = (x << 8n) | BigInt(r[i]!);
  return x;
}

export function requireHeight(job: SealJob): number {
  if (job.height === undefined) throw invalid('BAD_JOB', 'qkchash jobs need a height (it selects the epoch cache)');
  return job.height;
}

function search(job: SealJob): SearchResult {
  checkJob(job);
  const target = targetToBigint(job.target);
  const worker = qkchashWorker(qkchashCacheForHeight(requireHeight(job)));
  for (let i = 0; i < job.count; i++) {
    const nonce = nonceAt(job.startNonce, i);
    const out = worker.hash(job.sealHash, nonce);
    if (target >= 0n && resultValue(out.result) <= target) {
      return { found: { nonce, mixhash: out.mix, digest: out.result }, hashes: i + 1 };
    }
  }
  return { found: null, hashes: job.count };
}

export function createJsQkchashKernel(): Kernel {
  return { name: 'js', algo: 'qkchash', variant: 'bucket-set+undo', search };
}
