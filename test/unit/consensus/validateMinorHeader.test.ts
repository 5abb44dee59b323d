/**
 * validateMinorHeader (DESIGN §5): one test per rule. Each starts from a valid, sealed header on
 * a hand-built parent, changes exactly one thing (re-sealing so that the seal stays valid unless
 * the seal is the rule under test), and asserts the exact code and class. A table then checks
 * the order: a header wrong in several ways reports the cheapest rule first.
 */
import { test } from 'node:test';
import type { ConsensusParams } from '../../../src/core/config.js';
import { minorHeaderHash, minorSealHash, type MinorHeader } from '../../../src/core/minorBlock.js';
import { MAX_FUTURE_SECONDS, validateMinorHeader, type MinorHeaderContext } from '../../../src/consensus/validateMinorHeader.js';
import { expectCode, findNonce } from '../../utils/blockEdit.js';

const SHARD = 0x4;
const GAS_LIMIT = 12_000_000;
const T0 = 1_700_000_100;
const h32 = (n: number): Uint8Array => { const b = new Uint8Array(32); b[0] = n; b[31] = 0xee; return b; };

/** Difficulty 6400, factor 64: a 1 s gap raises it by 100 to 6500, a 3 s gap (≥ cutoff 2) keeps 6400. */
const consensus: ConsensusParams = { algo: 'doublesha256', targetBlockTime: 3, genesisDifficulty: 6400n, minimumDifficulty: 400n, cutoff: 2, factor: 64 };

const parent: MinorHeader = {
  version: 0, branch: SHARD, height: 5, coinbase: { recipient: new Uint8Array(20), fullShardKey: 0 }, coinbaseAmount: 0n,
  hashPrevMinorBlock: h32(1), hashPrevRootBlock: h32(2), gasLimit: GAS_LIMIT, hashMeta: h32(3), createTime: T0,
  difficulty: 6400n, nonce: 0n, mixhash: new Uint8Array(32),
};

function seal(h: MinorHeader, good = true): MinorHeader {
  return { ...h, nonce: findNonce('doublesha256', minorSealHash(h), h.difficulty, h.height, new Uint8Array(32), good) };
}

/** A valid child: 1 s after the parent, so its difficulty is 6500 (hard-coded: the rule is what is tested). */
const valid: MinorHeader = seal({
  ...parent, height: 6, hashPrevMinorBlock: minorHeaderHash(parent), hashPrevRootBlock: h32(4), hashMeta: h32(5),
  createTime: T0 + 1, difficulty: 6500n,
});

const ctx: MinorHeaderContext = { shardId: SHARD, gasLimit: GAS_LIMIT, consensus, nowSec: T0 + 1 };

/** The valid header with one change, re-sealed. */
const one = (c: Partial<MinorHeader>): MinorHeader => seal({ ...valid, ...c });

test('validateMinorHeader: the base header is valid (so each single change below is what fails)', () => {
  validateMinorHeader(valid, parent, ctx);
  validateMinorHeader(one({ createTime: T0 + 3, difficulty: 6400n }), parent, ctx); // a 3 s gap keeps the difficulty
});

test('BLOCK_BAD_VERSION: version ≠ 0', () => {
  expectCode(() => validateMinorHeader(one({ version: 1 }), parent, ctx), 'BLOCK_BAD_VERSION', 'invalid');
});

test('BLOCK_BAD_BRANCH: a header of another shard', () => {
  expectCode(() => validateMinorHeader(one({ branch: 0x5 }), parent, ctx), 'BLOCK_BAD_BRANCH', 'invalid');
});

test('BLOCK_BAD_HEIGHT: height 0 is rejected before the parent is even looked up', () => {
  expectCode(() => validateMinorHeader(one({ height: 0 }), parent, ctx), 'BLOCK_BAD_HEIGHT', 'invalid');
  expectCode(() => validateMinorHeader(one({ height: 0 }), undefined, ctx), 'BLOCK_BAD_HEIGHT', 'invalid');
});

test('BLOCK_PARENT_UNKNOWN: no parent is notYet, not invalid', () => {
  expectCode(() => validateMinorHeader(valid, undefined, ctx), 'BLOCK_PARENT_UNKNOWN', 'notYet');
});

test('BLOCK_BAD_HEIGHT: height ≠ parent height + 1', () => {
  expectCode(() => validateMinorHeader(one({ height: 7 }), parent, ctx), 'BLOCK_BAD_HEIGHT', 'invalid');
  expectCode(() => validateMinorHeader(one({ height: 5 }), parent, ctx), 'BLOCK_BAD_HEIGHT', 'invalid');
});

test('BLOCK_BAD_GAS_LIMIT: a gas limit other than the configured one', () => {
  expectCode(() => validateMinorHeader(one({ gasLimit: GAS_LIMIT - 1 }), parent, ctx), 'BLOCK_BAD_GAS_LIMIT', 'invalid');
  expectCode(() => validateMinorHeader(one({ gasLimit: GAS_LIMIT + 1 }), parent, ctx), 'BLOCK_BAD_GAS_LIMIT', 'invalid');
});

test('BLOCK_TIME_NOT_AFTER_PARENT: time equal to or before the parent', () => {
  expectCode(() => validateMinorHeader(one({ createTime: T0 }), parent, ctx), 'BLOCK_TIME_NOT_AFTER_PARENT', 'invalid');
  expectCode(() => validateMinorHeader(one({ createTime: T0 - 1 }), parent, ctx), 'BLOCK_TIME_NOT_AFTER_PARENT', 'invalid');
});

test(`BLOCK_TIME_IN_FUTURE: more than ${MAX_FUTURE_SECONDS} s ahead of our clock is notYet; exactly ${MAX_FUTURE_SECONDS} s passes`, () => {
  const t = valid.createTime;
  validateMinorHeader(valid, parent, { ...ctx, nowSec: t - MAX_FUTURE_SECONDS });
  expectCode(() => validateMinorHeader(valid, parent, { ...ctx, nowSec: t - MAX_FUTURE_SECONDS - 1 }), 'BLOCK_TIME_IN_FUTURE', 'notYet');
});

test('BLOCK_BAD_DIFFICULTY: off by one, or right for another time', () => {
  expectCode(() => validateMinorHeader(one({ difficulty: 6501n }), parent, ctx), 'BLOCK_BAD_DIFFICULTY', 'invalid');
  expectCode(() => validateMinorHeader(one({ difficulty: 6499n }), parent, ctx), 'BLOCK_BAD_DIFFICULTY', 'invalid');
  // 6400 is right for a 3 s gap, not for this header's 1 s gap.
  expectCode(() => validateMinorHeader(one({ difficulty: 6400n }), parent, ctx), 'BLOCK_BAD_DIFFICULTY', 'invalid');
});

test('BAD_MIXHASH: doublesha256 seals carry a zero mixhash', () => {
  const mixhash = new Uint8Array(32);
  mixhash[31] = 1;
  expectCode(() => validateMinorHeader(one({ mixhash }), parent, ctx), 'BAD_MIXHASH', 'invalid');
});

test('BAD_SEAL: a nonce whose digest is above the target; skipSeal skips only the seal', () => {
  const bad = seal(valid, false);
  expectCode(() => validateMinorHeader(bad, parent, ctx), 'BAD_SEAL', 'invalid');
  validateMinorHeader(bad, parent, { ...ctx, skipSeal: true });
  // skipSeal does not skip the rules before the seal.
  expectCode(() => validateMinorHeader({ ...bad, difficulty: 6501n }, parent, { ...ctx, skipSeal: true }), 'BLOCK_BAD_DIFFICULTY', 'invalid');
});

test('BAD_SEAL: at difficulty ~2^200 no nonce passes', () => {
  const p: MinorHeader = { ...parent, difficulty: 2n ** 200n };
  const big: ConsensusParams = { ...consensus, minimumDifficulty: 1n };
  const h: MinorHeader = { ...valid, hashPrevMinorBlock: minorHeaderHash(p), difficulty: 2n ** 200n + 2n ** 194n, nonce: 0n };
  for (const nonce of [0n, 1n, 2n ** 63n]) {
    expectCode(() => validateMinorHeader({ ...h, nonce }, p, { ...ctx, consensus: big }), 'BAD_SEAL', 'invalid');
  }
  validateMinorHeader(h, p, { ...ctx, consensus: big, skipSeal: true });
});

/**
 * Validation order (DESIGN §5: structure → parent/height/branch → time → difficulty → seal).
 * Row i applies violations i..end together; the first rule of row i must be the one reported.
 */
test('order: a header wrong in several ways reports the cheapest rule first', () => {
  interface Step { readonly code: string; readonly cls: 'invalid' | 'notYet'; readonly edit: (h: MinorHeader) => MinorHeader; readonly noParent?: boolean; readonly nowSec?: number }
  const steps: Step[] = [
    { code: 'BLOCK_BAD_VERSION', cls: 'invalid', edit: (h) => ({ ...h, version: 2 }) },
    { code: 'BLOCK_BAD_BRANCH', cls: 'invalid', edit: (h) => ({ ...h, branch: 0x6 }) },
    { code: 'BLOCK_PARENT_UNKNOWN', cls: 'notYet', edit: (h) => h, noParent: true },
    { code: 'BLOCK_BAD_HEIGHT', cls: 'invalid', edit: (h) => ({ ...h, height: 9 }) },
    { code: 'BLOCK_BAD_GAS_LIMIT', cls: 'invalid', edit: (h) => ({ ...h, gasLimit: 1 }) },
    { code: 'BLOCK_TIME_IN_FUTURE', cls: 'notYet', edit: (h) => h, nowSec: valid.createTime - MAX_FUTURE_SECONDS - 1 },
    { code: 'BLOCK_BAD_DIFFICULTY', cls: 'invalid', edit: (h) => ({ ...h, difficulty: 6501n }) },
    { code: 'BAD_SEAL', cls: 'invalid', edit: (h) => h },
  ];
  for (let i = 0; i < steps.length; i++) {
    let h = valid;
    let c = ctx;
    let p: MinorHeader | undefined = parent;
    for (const s of steps.slice(i)) {
      h = s.edit(h);
      if (s.noParent) p = undefined;
      if (s.nowSec !== undefined) c = { ...c, nowSec: s.nowSec };
    }
    h = seal(h, false); // the last step: the seal is wrong too
    expectCode(() => validateMinorHeader(h, p, c), steps[i]!.code, steps[i]!.cls);
  }
  // Time before the parent is checked before the difficulty (which could not even be computed).
  expectCode(() => validateMinorHeader(seal({ ...valid, createTime: T0, difficulty: 6501n }, false), parent, ctx), 'BLOCK_TIME_NOT_AFTER_PARENT', 'invalid');
});
