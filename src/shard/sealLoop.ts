/**
 * The cooperative sealing loop of a shard worker (DESIGN §1): slices of ≤ 50 ms with a yield to
 * the event loop between, a candidate rebuilt when stale. When a candidate is stale, where its
 * nonce search starts and how long `simulate` waits are the shared rules of pow/sealSchedule.ts.
 */
import { addressFromBytes } from '../core/address.js';
import { keyOf, type Bytes } from '../core/bytes.js';
import { consensusOf, type Config } from '../core/config.js';
import { minorSealHash, type MinorBlock } from '../core/minorBlock.js';
import { sealSlice } from '../pow/slice.js';
import { isStale, randomStartNonce, simulatedDelayMs, tipAheadWaitMs, type CandidateStamp } from '../pow/sealSchedule.js';
import type { Kernel } from '../pow/types.js';
import { sealTarget } from '../consensus/target.js';
import type { ShardChain } from './shardChain.js';

/** Longest synchronous sealing slice: other tasks are served between slices (DESIGN §1). */
const SEAL_SLICE_MS = 50;

const nowSec = (): number => Math.floor(Date.now() / 1000);

interface Candidate extends CandidateStamp {
  readonly block: MinorBlock;
  readonly target: bigint;
  nonce: bigint;
}

export interface SealLoopDeps {
  readonly cfg: Config;
  readonly chain: ShardChain;
  /** Int32 work-generation counter the coordinator bumps. */
  readonly gen: Int32Array;
  /** null: `simulate` (a block is "found" after an exponential delay). */
  readonly kernel: Kernel | null;
  readonly serial: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Adds a sealed block (stores it; its commit goes on without the loop). */
  readonly submit: (sealed: MinorBlock) => Promise<void>;
  readonly coinbase: () => Bytes | null;
  /** Whether the loop should go on. */
  readonly running: () => boolean;
  /** Sealing waits while this holds (the shard syncs). */
  readonly held: () => boolean;
}

/** `simulate`: waits an exponential delay with mean `targetBlockTime` (in slices, so stopping is quick). */
async function simulatedDelay(targetBlockTime: number, running: () => boolean): Promise<void> {
  const due = Date.now() + simulatedDelayMs(targetBlockTime);
  while (running() && Date.now() < due) {
    await new Promise((r) => setTimeout(r, Math.min(due - Date.now(), SEAL_SLICE_MS)));
  }
}

async function newCandidate(d: SealLoopDeps): Promise<Candidate> {
  const wait = tipAheadWaitMs(d.chain.tip.header.createTime, Date.now());
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const gen = Atomics.load(d.gen, 0);
  const cb = d.coinbase();
  const block = await d.serial(() => d.chain.createBlockToMine(nowSec(), cb ? addressFromBytes(cb) : undefined));
  const cons = consensusOf(d.cfg, d.chain.shardId);
  return {
    block, gen, madeAtMs: Date.now(), tipKey: keyOf(block.header.hashPrevMinorBlock),
    target: cons.algo === 'simulate' ? 0n : sealTarget(cons.algo, block.header.difficulty),
    nonce: randomStartNonce(),
  };
}

/** Runs until `running()` is false; reports searched nonces through `onHashes`. */
export async function sealLoop(d: SealLoopDeps, onHashes: (n: number) => void): Promise<void> {
  let cand: Candidate | null = null;
  const targetBlockTime = consensusOf(d.cfg, d.chain.shardId).targetBlockTime;
  while (d.running()) {
    if (d.held()) {
      cand = null;
      await new Promise((r) => setTimeout(r, SEAL_SLICE_MS));
      continue;
    }
    if (!d.kernel) await simulatedDelay(targetBlockTime, d.running);
    if (!d.running()) break;
    if (!cand || !d.kernel || isStale(cand, Date.now(), Atomics.load(d.gen, 0), keyOf(d.chain.tip.hash))) cand = await newCandidate(d);
    let found: { nonce: bigint; mixhash: Bytes } | null = null;
    if (!d.kernel) {
      found = { nonce: cand.nonce, mixhash: new Uint8Array(32) };
    } else {
      const c = cand;
      const r = sealSlice(d.kernel, { sealHash: minorSealHash(c.block.header), target: c.target, startNonce: c.nonce, height: c.block.header.height },
        SEAL_SLICE_MS, { shouldStop: () => Atomics.load(d.gen, 0) !== c.gen });
      onHashes(r.hashes);
      c.nonce = r.nextNonce;
      if (r.found) found = { nonce: r.found.nonce, mixhash: r.found.mixhash };
    }
    if (found) {
      const sealed: MinorBlock = { ...cand.block, header: { ...cand.block.header, nonce: found.nonce, mixhash: found.mixhash } };
      cand = null;
      try {
        await d.submit(sealed);
      } catch (e) {
        process.stderr.write(`shard 0x${d.chain.shardId.toString(16)}: mined block rejected: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    }
    await new Promise((r) => setImmediate(r));
  }
}
