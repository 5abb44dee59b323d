/** The header checks before bodies, one rule per case, on real sealed headers (DESIGN §10). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RootHeader } from '../../../../src/core/rootBlock.js';
import { rootSealHash } from '../../../../src/core/rootBlock.js';
import { checkHeaderChain } from '../../../../src/p2p/sync/checkHeaderChain.js';
import { rootHeaderRules } from '../../../../src/p2p/sync/syncTarget.js';
import { findNonce } from '../../../utils/blockEdit.js';
import { mineRounds, openNet } from './syncFixtures.js';

test('checkHeaderChain: each rule, with the index of the first bad header', async () => {
  const net = await openNet();
  try {
    await mineRounds(net, 4);
    const algo = net.cfg.root.algo;
    const [g, h1, h2, h3, h4] = [0, 1, 2, 3, 4].map((h) => net.root.index.canonicalAt(h)!.block.header) as [RootHeader, RootHeader, RootHeader, RootHeader, RootHeader];
    const rules = rootHeaderRules(net.cfg.root, () => net.now);
    const reseal = (h: RootHeader): RootHeader => ({ ...h, nonce: findNonce(algo, rootSealHash(h), h.difficulty, h.height, h.mixhash, true) });
    const code = (prev: RootHeader, hs: RootHeader[]): string => {
      const r = checkHeaderChain(prev, hs, rules);
      if (r.ok) return 'ok';
      return 'fault' in r ? `${r.fault.fault}@${r.index}` : `${r.error.cls}:${r.error.code}@${r.index}`;
    };
    assert.equal(code(g, [h1, h2, h3, h4]), 'ok');
    assert.equal(code(h1, [h2, h4]), 'P2P_HEADERS_NOT_CONTIGUOUS@1', 'a gap');
    assert.equal(code(h1, [h3]), 'P2P_HEADERS_NOT_CONTIGUOUS@0', 'not after the known block');
    assert.equal(code(h1, [h2, { ...h3, hashPrevBlock: h1.hashPrevBlock }]), 'P2P_HEADERS_NOT_LINKED@1');
    assert.equal(code(h1, [h2, reseal({ ...h3, totalDifficulty: h2.totalDifficulty })]), 'P2P_TD_MISMATCH@1', 'TD not rising');
    assert.equal(code(h1, [h2, reseal({ ...h3, totalDifficulty: h3.totalDifficulty + 1n })]), 'P2P_TD_MISMATCH@1', 'TD ≠ parent + difficulty');
    assert.equal(code(h1, [h2, reseal({ ...h3, difficulty: h3.difficulty + 1n, totalDifficulty: h3.totalDifficulty + 1n })]), 'P2P_BAD_HEADER@1', 'wrong difficulty');
    assert.equal(code(h1, [{ ...h2, nonce: findNonce(algo, rootSealHash(h2), h2.difficulty, h2.height, h2.mixhash, false, h2.nonce + 1n) }]), 'P2P_BAD_SEAL@0');
    assert.equal(code(h1, [reseal({ ...h2, version: 9 })]), 'P2P_BAD_HEADER@0', 'another header rule');
    const future = reseal({ ...h2, createTime: net.now + 3600 });
    assert.match(code(h1, [future]), /^notYet:ROOT_TIME_IN_FUTURE@0$/, 'a header from the future is nobody\'s fault yet');

    // Headers an earlier task checked: the rules are skipped, the linkage is not.
    let ruled = 0;
    const counted = { validateHeader: (h: RootHeader, p: RootHeader): void => { ruled++; rules.validateHeader(h, p); } };
    const known = new Set([h2, h3]);
    assert.deepEqual(checkHeaderChain(h1, [h2, h3, h4], counted, (h) => known.has(h)), { ok: true });
    assert.equal(ruled, 1, 'only the header not checked before (h4) goes through the rules');
    const unlinked = checkHeaderChain(h1, [h3], counted, () => true);
    assert.equal(!unlinked.ok && 'fault' in unlinked && unlinked.fault.fault, 'P2P_HEADERS_NOT_CONTIGUOUS', 'a checked header still has to follow its parent');
  } finally {
    await net.close();
  }
});
