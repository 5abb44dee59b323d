/**
 * Test helpers for rule-by-rule rejection tests: take a VALID block built by the real code,
 * change exactly one thing, and recompute whatever commits to it (tx merkle root, hashMeta,
 * minor-header merkle root, root coinbase amount, seal) so that the intended rule is the first
 * to fail. Every recomputation can be switched off to break exactly that commitment instead.
 */
import assert from 'node:assert/strict';
import type { Bytes } from '../../src/core/bytes.js';
import type { Config, PowAlgo } from '../../src/core/config.js';
import { ChainError, type ErrorClass } from '../../src/core/errors.js';
import { metaHash, minorSealHash, txMerkleRoot, type MinorBlock, type MinorHeader, type MinorMeta } from '../../src/core/minorBlock.js';
import { minorHeadersMerkleRoot, rootSealHash, type RootBlock, type RootHeader } from '../../src/core/rootBlock.js';
import type { Transaction } from '../../src/core/transaction.js';
import { rootCoinbaseAmount } from '../../src/consensus/rewards.js';
import { checkSeal } from '../../src/consensus/seal.js';

/** Nonces tried before giving up (test difficulties are ≤ a few hundred, so this never runs out). */
const MAX_SEAL_TRIES = 1_000_000;

/** The first nonce (from `start`) for which `checkSeal` passes (`want` true) or fails with BAD_SEAL (`want` false). */
export function findNonce(algo: PowAlgo, sealHash: Bytes, difficulty: bigint, height: number, mixhash: Bytes, want: boolean, start = 0n): bigint {
  for (let n = start; n < start + BigInt(MAX_SEAL_TRIES); n++) {
    let ok = true;
    try {
      checkSeal(algo, { sealHash, nonce: n, mixhash, difficulty, height });
    } catch (e) {
      if (ChainError.from(e).code !== 'BAD_SEAL') throw e;
      ok = false;
    }
    if (ok === want) return n;
  }
  throw new Error(`no nonce ${want ? 'passes' : 'fails'} the seal within ${MAX_SEAL_TRIES} tries`);
}

export function minorAlgo(cfg: Config, branch: number): PowAlgo {
  return (cfg.chains[branch >>> 16] ?? cfg.chains[0]!).consensus.algo;
}

/** Re-seals a minor block (zero mixhash search; the header's own mixhash is kept). */
export function resealMinor(b: MinorBlock, algo: PowAlgo): MinorBlock {
  const h = b.header;
  return { ...b, header: { ...h, nonce: findNonce(algo, minorSealHash(h), h.difficulty, h.height, new Uint8Array(32), true) } };
}

export function resealRoot(b: RootBlock, algo: PowAlgo): RootBlock {
  const h = b.header;
  return { ...b, header: { ...h, nonce: findNonce(algo, rootSealHash(h), h.difficulty, h.height, new Uint8Array(32), true) } };
}

export interface MinorEdit {
  readonly header?: Partial<MinorHeader>;
  readonly meta?: Partial<MinorMeta>;
  readonly txs?: readonly Transaction[];
  /** Keep meta.txMerkleRoot although the txs changed (to break exactly the tx root). */
  readonly keepTxRoot?: boolean;
  /** Keep header.hashMeta although the meta changed (to break exactly the meta hash). */
  readonly keepMetaHash?: boolean;
  /** Leave the nonce as it is (default: re-seal with the original branch's algorithm). */
  readonly noReseal?: boolean;
}

/** Applies one edit to a minor block and recomputes the commitments the edit does not target. */
export function editMinor(b: MinorBlock, cfg: Config, e: MinorEdit): MinorBlock {
  const txs = e.txs ?? b.txs;
  const txRoot = e.txs && !e.keepTxRoot ? { txMerkleRoot: txMerkleRoot(txs) } : {};
  const meta: MinorMeta = { ...b.meta, ...txRoot, ...e.meta };
  const metaChanged = e.meta !== undefined || Object.keys(txRoot).length > 0;
  const hashMeta = metaChanged && !e.keepMetaHash && e.header?.hashMeta === undefined ? { hashMeta: metaHash(meta) } : {};
  const header: MinorHeader = { ...b.header, ...e.header, ...hashMeta };
  const out: MinorBlock = { header, meta, txs };
  return e.noReseal ? out : resealMinor(out, minorAlgo(cfg, b.header.branch));
}

export interface RootEdit {
  readonly header?: Partial<RootHeader>;
  readonly minorHeaders?: readonly MinorHeader[];
  /** Keep hashMerkleRoot although the list changed. */
  readonly keepMerkle?: boolean;
  /** Keep coinbaseAmount although the list changed. */
  readonly keepCoinbase?: boolean;
  readonly noReseal?: boolean;
}

/** Applies one edit to a root block; recomputes the merkle root and coinbase amount of a changed list, and the seal. */
export function editRoot(b: RootBlock, cfg: Config, e: RootEdit): RootBlock {
  const list = e.minorHeaders ?? b.minorHeaders;
  const derived: Partial<RootHeader> = {};
  if (e.minorHeaders) {
    if (!e.keepMerkle) Object.assign(derived, { hashMerkleRoot: minorHeadersMerkleRoot(list) });
    if (!e.keepCoinbase) Object.assign(derived, { coinbaseAmount: rootCoinbaseAmount(cfg.rootCoinbaseAmount, list.map((h) => h.coinbaseAmount), cfg.taxRate) });
  }
  const header: RootHeader = { ...b.header, ...derived, ...e.header };
  const out: RootBlock = { header, minorHeaders: list };
  return e.noReseal ? out : resealRoot(out, cfg.root.algo);
}

/** Asserts that `fn` throws a ChainError with exactly this code and class. */
export function expectCode(fn: () => unknown, code: string, cls: ErrorClass): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ChainError, `expected a ChainError, got ${String(e)}`);
    assert.equal(e.code, code, `code (${e.message})`);
    assert.equal(e.cls, cls, `class of ${e.code}`);
    return true;
  });
}

/** Asserts that the promise rejects with a ChainError with exactly this code and class. */
export async function expectCodeAsync(p: Promise<unknown>, code: string, cls: ErrorClass): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ChainError, `expected a ChainError, got ${String(e)}`);
    assert.equal(e.code, code, `code (${e.message})`);
    assert.equal(e.cls, cls, `class of ${e.code}`);
    return true;
  });
}
