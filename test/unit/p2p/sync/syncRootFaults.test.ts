/**
 * syncRoot against a misbehaving fake peer: every fault is caught before it corrupts anything,
 * with its stable code, and what was added before it stays (reference/sync.md §2, §3: 18-22, 50).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { equalBytes } from '../../../../src/core/bytes.js';
import { invalid, notYet } from '../../../../src/core/errors.js';
import { rootSealHash, type RootHeader } from '../../../../src/core/rootBlock.js';
import { syncRoot } from '../../../../src/p2p/sync/syncRootTask.js';
import { findNonce } from '../../../utils/blockEdit.js';
import type { LocalNet } from '../../../utils/localNet.js';
import { mineRounds, NetSource, netTarget, openNet, tipHeader } from './syncFixtures.js';
import { againstBadPeer, assertSameChain, badSeal, faultCode, nothingAdded, SHORT_TIMEOUT_MS, withPair } from './syncHarness.js';

test('syncRoot: a bad seal in the middle of the headers is P2P_BAD_SEAL, before any body is asked for', async () => {
  await againstBadPeer({
    headers: (_q, honest) => ({ ...honest, headers: honest.headers.map((h) => (h.height === 3 ? badSeal(h, 'doublesha256') : h)) }),
  }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_BAD_SEAL');
    assert.equal(r.outcome.kind === 'fault' && r.outcome.fault.fatal, true);
    assert.equal(r.stats.bodyRequests, 0);
    nothingAdded(local);
  });
});

test('syncRoot: an announced tip with a bad seal is refused before any request', async () => {
  await againstBadPeer({}, (r, local, _peer, src) => {
    assert.equal(faultCode(r), 'P2P_BAD_SEAL');
    assert.deepEqual(src.log, []);
    nothingAdded(local);
  }, { tip: (peer) => badSeal(tipHeader(peer), peer.cfg.root.algo) });
});

test('syncRoot: broken linkage is P2P_HEADERS_NOT_LINKED; shuffled headers are P2P_HEADERS_NOT_CONTIGUOUS', async () => {
  await againstBadPeer({
    headers: (_q, honest) => ({ ...honest, headers: honest.headers.map((h) => (h.height === 4 ? { ...h, hashPrevBlock: new Uint8Array(32).fill(7) } : h)) }),
  }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_HEADERS_NOT_LINKED');
    assert.equal(r.stats.bodyRequests, 0);
    nothingAdded(local);
  });
  await againstBadPeer({
    headers: (_q, honest) => {
      const hs = [...honest.headers];
      [hs[1], hs[2]] = [hs[2]!, hs[1]!];
      return { ...honest, headers: hs };
    },
  }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_HEADERS_NOT_CONTIGUOUS');
    nothingAdded(local);
  });
});

test('syncRoot: too few headers (download or search) is P2P_SHORT_RESPONSE; too many is P2P_TOO_MANY_ITEMS', async () => {
  await againstBadPeer({ headers: (_q, honest) => ({ ...honest, headers: honest.headers.slice(0, -1) }) }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_SHORT_RESPONSE');
    nothingAdded(local);
  });
  await againstBadPeer({ headers: (_q, honest) => ({ ...honest, headers: [] }) }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_SHORT_RESPONSE', 'an empty search answer from a peer whose tip is above the samples');
    assert.equal(r.stats.lookups, 1);
    nothingAdded(local, 1);
  }, { shared: 1 });
  await againstBadPeer({ headers: (_q, honest) => ({ ...honest, headers: [...honest.headers, honest.rootTip] }) }, (r) => {
    assert.equal(faultCode(r), 'P2P_TOO_MANY_ITEMS');
  });
});

test('syncRoot: a peer that lies about its TD (P2P_TD_MISMATCH), in its announcement or in its replies', async () => {
  // The announcement: a resealed copy of its tip with a higher TD; the chain it serves ends elsewhere.
  const forge = (peer: LocalNet): RootHeader => {
    const h = { ...tipHeader(peer), totalDifficulty: tipHeader(peer).totalDifficulty * 2n };
    return { ...h, nonce: findNonce(peer.cfg.root.algo, rootSealHash(h), h.difficulty, h.height, h.mixhash, true) };
  };
  let forged: RootHeader | undefined;
  await againstBadPeer({ headers: (_q, honest) => ({ ...honest, rootTip: forged! }) }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_TD_MISMATCH');
    assert.equal(r.stats.bodyRequests, 0, 'caught at the headers');
    nothingAdded(local);
  }, { tip: (peer) => (forged = forge(peer)) });
  // The replies: a remote tip lighter than the one announced.
  await againstBadPeer({ headers: (_q, honest) => ({ ...honest, rootTip: { ...honest.rootTip, totalDifficulty: 1n } }) }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_TD_MISMATCH');
    nothingAdded(local);
  });
});

test('syncRoot: bodies that are not the ones asked for: missing, reordered, or not matching their merkle root', async () => {
  await againstBadPeer({ rootBlocks: (_h, honest) => honest.slice(1) }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_SHORT_RESPONSE');
    nothingAdded(local);
  });
  await againstBadPeer({ rootBlocks: (_h, honest) => [...honest].reverse() }, (r) => {
    assert.equal(faultCode(r), 'P2P_BLOCK_MISMATCH');
  });
  await againstBadPeer({ rootBlocks: (_h, honest) => honest.map((b) => ({ ...b, minorHeaders: b.minorHeaders.slice(1) })) }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_BAD_BODY');
    nothingAdded(local);
  });
  await againstBadPeer({ minorBlocks: (_s, _h, honest) => honest.slice(0, -1) }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_SHORT_RESPONSE');
    nothingAdded(local);
  });
});

test('syncRoot: a request that is never answered is P2P_TIMEOUT (not fatal); blocks added before it are kept, nothing half-added', async () => {
  // Batches of two root blocks: the first (1-2) goes through; the second's root bodies (call 1, counted from 0) never come.
  // The third batch is downloaded meanwhile but not applied out of chain order.
  await againstBadPeer({ hang: (kind, call) => kind === 'rootBlocks' && call === 1 }, async (r, local, peer) => {
    assert.equal(faultCode(r), 'P2P_TIMEOUT');
    assert.equal(r.outcome.kind === 'fault' && r.outcome.fault.fatal, false);
    assert.equal(r.outcome.kind === 'fault' && r.outcome.reported, false, 'our own timer: nobody reported it yet');
    assert.equal(local.root.tip.height, 2, 'root blocks 1 and 2 kept');
    assert.ok(equalBytes(local.root.tip.hash, peer.root.index.canonicalAt(2)!.hash));
    for (const id of local.ids) assert.equal(local.chain(id).tip.header.height, 2, 'no minor block of root block 3 was handed over');
    // Another peer (here: the same chain, honest) continues from there: only blocks 3-6 move.
    const r2 = await syncRoot(new NetSource(peer), netTarget(local), tipHeader(peer));
    assert.equal(r2.outcome.kind, 'synced');
    assert.equal(r2.stats.bodies, 4);
    await assertSameChain(local, peer);
  }, { requestTimeoutMs: SHORT_TIMEOUT_MS, bodyBatch: 2 });
});

test('syncRoot: a source error keeps its class: invalid is a fault (reported by a transport that says so), notYet and internal abort', async () => {
  await againstBadPeer({ hang: () => false, headers: () => { throw invalid('P2P_RESPONSE_MISMATCH', 'wrong type'); } }, (r) => {
    assert.equal(faultCode(r), 'P2P_RESPONSE_MISMATCH');
  });
  await againstBadPeer({ headers: () => { throw notYet('P2P_TOO_MANY_OUTSTANDING', 'busy'); } }, (r) => {
    assert.equal(r.outcome.kind, 'aborted');
    assert.equal(r.outcome.kind === 'aborted' && r.outcome.error.code, 'P2P_TOO_MANY_OUTSTANDING');
  });
  await withPair(2, async (peer, local) => {
    const src = new NetSource(peer, { rootBlocks: () => { throw invalid('P2P_TIMEOUT', 'transport timeout'); } }, { reports: true });
    const r = await syncRoot(src, netTarget(local), tipHeader(peer));
    assert.equal(faultCode(r), 'P2P_TIMEOUT');
    assert.equal(r.outcome.kind === 'fault' && r.outcome.reported, true);
  });
});

test('syncRoot: a body or later header request our own transport refuses (notYet: its cap on requests in flight) is sent again to the same peer; no fault', async () => {
  await withPair(6, async (peer, local) => {
    const busy = (): never => { throw notYet('P2P_TOO_MANY_OUTSTANDING', 'busy'); };
    const src = new NetSource(peer, {
      rootBlocks: (_h, honest, call) => (call === 0 ? busy() : honest),
      headers: (_q, honest, call) => (call === 1 ? busy() : honest),
    });
    const r = await syncRoot(src, netTarget(local), tipHeader(peer), { firstHeaderBatch: 2, headerBatch: 2, bodyBatch: 2 });
    assert.equal(r.outcome.kind, 'synced', 'its only peer is asked again, not counted out');
    await assertSameChain(local, peer);
    assert.ok(src.log.filter((l) => l.startsWith('headers')).length >= 4, 'the refused header request was sent again');
  });
});

test('syncRoot: a block our chain refuses as invalid is P2P_BAD_BLOCK; notYet and internal refusals abort without blame; earlier blocks stay', async () => {
  const peer = await openNet();
  await mineRounds(peer, 4);
  try {
    const cases = [
      { refuse: { root: (rb: { header: RootHeader }) => { if (rb.header.height === 3) throw invalid('ROOT_BAD_COINBASE_AMOUNT', 'x'); } }, kind: 'fault', code: 'P2P_BAD_BLOCK', kept: 2 },
      { refuse: { minor: (_s: number, bs: readonly { header: { height: number } }[]) => { if (bs[0]!.header.height === 2) throw invalid('BLOCK_BAD_STATE_ROOT', 'x'); } }, kind: 'fault', code: 'P2P_BAD_BLOCK', kept: 1 },
      { refuse: { root: (rb: { header: RootHeader }) => { if (rb.header.height === 2) throw notYet('XSHARD_LIST_MISSING', 'x'); } }, kind: 'aborted', code: 'XSHARD_LIST_MISSING', kept: 1 },
      { refuse: { root: () => { throw new Error('disk full'); } }, kind: 'aborted', code: 'INTERNAL', kept: 0 },
    ];
    for (const c of cases) {
      const local = await openNet();
      try {
        local.now = peer.now;
        const r = await syncRoot(new NetSource(peer), netTarget(local, c.refuse), tipHeader(peer));
        assert.equal(r.outcome.kind, c.kind, c.code);
        if (r.outcome.kind === 'fault') assert.equal(r.outcome.fault.fault, c.code);
        if (r.outcome.kind === 'aborted') assert.equal(r.outcome.error.code, c.code);
        assert.equal(local.root.tip.height, c.kept, `${c.code}: blocks before the refused one are kept`);
      } finally {
        await local.close();
      }
    }
  } finally {
    await peer.close();
  }
});

test('syncRoot: search samples that are not our genesis (every peer shares it) are a fatal P2P_NO_COMMON_ANCESTOR', async () => {
  await againstBadPeer({
    // We share block 1, so the search samples heights 0 and 1; both come back as other blocks.
    headers: (_q, honest, call) => (call === 0 ? { ...honest, headers: honest.headers.map((h) => ({ ...h, coinbaseAmount: 1n })) } : honest),
  }, (r, local) => {
    assert.equal(faultCode(r), 'P2P_NO_COMMON_ANCESTOR');
    assert.equal(r.outcome.kind === 'fault' && r.outcome.fault.fatal, true);
    nothingAdded(local, 1);
  }, { shared: 1 });
});

