/**
 * Liveness of idle peers (reference/sync.md §4 PING/PONG): any frame proves a peer alive, so only
 * a peer we have not heard from for `idleMs` and with nothing in flight is pinged. A PING that
 * times out (the Peer charges its P2P_TIMEOUT like any other) means the peer is dead: it is
 * disconnected at once, whatever its score.
 */
import { invalidCode, ChainError } from '../core/errors.js';
import type { Peer } from './peer.js';

/** A peer silent this long is pinged: half the 30 s request timeout, so a dead peer is found within ~45 s. */
export const PING_IDLE_MS = 15_000;
/** How often the network looks for idle peers: a third of PING_IDLE_MS, so a ping goes out at most 5 s late. */
export const LIVENESS_CHECK_MS = 5_000;

export type LivePeer = Pick<Peer, 'lastHeardAt' | 'outstanding' | 'isReady' | 'request' | 'disconnect'>;

/** Pings every ready peer idle for `idleMs` at `now`; one whose PING times out is disconnected. Returns how many were pinged. */
export function pingIdlePeers(peers: Iterable<LivePeer>, now: number, idleMs: number): number {
  let n = 0;
  for (const p of peers) {
    if (!p.isReady || p.outstanding > 0 || now - p.lastHeardAt < idleMs) continue;
    n++;
    p.request({ type: 'PING' }).catch((e: unknown) => {
      if (invalidCode(ChainError.from(e)) === 'P2P_TIMEOUT') p.disconnect('TIMEOUT', 'no PONG to a PING: the peer is dead');
    });
  }
  return n;
}
