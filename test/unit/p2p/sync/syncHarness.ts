/** Assertions and harness shared by the syncRoot tests. */
import assert from 'node:assert/strict';
import { toHex } from '../../../../src/core/bytes.js';
import { rootSealHash, type RootHeader } from '../../../../src/core/rootBlock.js';
import { syncRoot } from '../../../../src/p2p/sync/syncRootTask.js';
import type { SyncOutcome, SyncResult } from '../../../../src/p2p/sync/syncOutcome.js';
import { findNonce } from '../../../utils/blockEdit.js';
import type { LocalNet } from '../../../utils/localNet.js';
import { copyChain, mineRounds, NetSource, netTarget, openNet, tipHash, tipHeader, type Misbehaviour } from './syncFixtures.js';

/** Request bound of the timeout tests: the fake never answers, so this is the whole wait. */
export const SHORT_TIMEOUT_MS = 50;

export function faultCode(r: SyncResult): string {
  const o: SyncOutcome = r.outcome;
  assert.equal(o.kind, 'fault', `expected a fault, got ${JSON.stringify(o, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`);
  return o.kind === 'fault' ? o.fault.fault : '';
}

export async function withNets<T>(nets: LocalNet[], fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } finally {
    for (const n of nets) await n.close();
  }
}

/** A peer net with `rounds` mined (root blocks, each confirming a block per shard) and a fresh local net on its clock; both closed after `fn`. */
export async function withPair(rounds: number, fn: (peer: LocalNet, local: LocalNet) => Promise<void>): Promise<void> {
  const peer = await openNet();
  const local = await openNet();
  await withNets([peer, local], async () => {
    await mineRounds(peer, rounds);
    local.now = peer.now;
    await fn(peer, local);
  });
}

export async function assertSameChain(local: LocalNet, peer: LocalNet): Promise<void> {
  assert.equal(toHex(tipHash(local)), toHex(tipHash(peer)), 'root tips equal');
  for (const id of peer.ids) {
    assert.equal(toHex(local.chain(id).confirmedTip.hash), toHex(peer.chain(id).confirmedTip.hash), `shard 0x${id.toString(16)} confirmed tips equal`);
  }
}

/** A copy of `h` with a nonce that fails its seal. */
export function badSeal(h: RootHeader, algo: LocalNet['cfg']['root']['algo']): RootHeader {
  return { ...h, nonce: findNonce(algo, rootSealHash(h), h.difficulty, h.height, h.mixhash, false, h.nonce + 1n) };
}

/** A peer at 6 blocks misbehaving as `bad`; returns the result and the local net (still open) for checks. */
export async function againstBadPeer(bad: Misbehaviour, check: (r: SyncResult, local: LocalNet, peer: LocalNet, src: NetSource) => Promise<void> | void,
  opts: { tip?: (peer: LocalNet) => RootHeader; requestTimeoutMs?: number; bodyBatch?: number; shared?: number } = {}): Promise<void> {
  const peer = await openNet();
  const local = await openNet();
  await withNets([peer, local], async () => {
    await mineRounds(peer, 6);
    local.now = peer.now;
    if (opts.shared) await copyChain(peer, local, opts.shared); // so that the common ancestor is searched for
    const src = new NetSource(peer, bad);
    const r = await syncRoot(src, netTarget(local), opts.tip?.(peer) ?? tipHeader(peer), { requestTimeoutMs: opts.requestTimeoutMs ?? 5_000, ...(opts.bodyBatch ? { bodyBatch: opts.bodyBatch } : {}) });
    await check(r, local, peer, src);
  });
}

export const nothingAdded = (local: LocalNet, shared = 0): void => {
  assert.equal(local.root.tip.height, shared, 'no root block added');
  for (const id of local.ids) assert.equal(local.chain(id).tip.header.height, shared, 'no minor block added');
};

