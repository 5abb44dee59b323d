/**
 * A head start for the root sync a peer's HELLO starts: the first header request that sync would
 * send (FIRST_HEADER_BATCH headers after our tip), sent right behind our HELLO instead of after
 * theirs (a Peer takes requests once its HELLO is out; the peer answers after sending its own).
 * A fresh node's first headers then arrive one one-way latency sooner, its first bodies too.
 *
 * The reply stands in for that sync's header query from our tip + 1 (a fresh node's first query;
 * after the ancestor search of a node behind on the same chain, its second) only when it answers
 * it in full: the same origin height, consecutive, toward the tip, at least as many headers as
 * asked (the extra ones dropped), served from the very tip the HELLO announced, so it is the
 * chain the sync targets (PeerSyncSource also drops it once another reply shows the peer's tip
 * moved). Anything else (our tip moved, the peer's tip moved, a shorter answer)
 * asks again, and the sync checks a head start like any reply. A failed head start fails that
 * query as a request sent for it would have; an unused one costs one small request per connection.
 */
import { equalBytes } from '../../core/bytes.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import type { HeaderQuery } from '../messageTypes.js';
import type { Peer } from '../peer.js';
import type { RootHeadersReply } from './syncSource.js';

export interface HeadStart {
  /** The height the headers start at: our root tip's + 1 when it was sent. */
  readonly height: number;
  readonly limit: number;
  readonly reply: Promise<RootHeadersReply>;
}

/** Sends the head start to `peer`: `limit` headers from `height` on, toward its tip. */
export function sendHeadStart(peer: Pick<Peer, 'request'>, height: number, limit: number): HeadStart {
  const sent = Date.now();
  const reply = peer.request({ type: 'GET_ROOT_HEADERS', origin: { kind: 'height', height }, limit, skip: 0, direction: 'toTip' }).then((r) => {
    if (r.type !== 'ROOT_HEADERS') throw new Error(`${r.type} answers GET_ROOT_HEADERS`); // the RequestTracker already refuses it
    // Its own round trip: timed from the sync's query it would read short, and the stall timers seeded from it too tight.
    return { rootTip: r.rootTip, headers: r.headers, roundTripMs: Date.now() - sent };
  });
  reply.catch(() => undefined); // an unused head start's failure is nobody's concern; a used one's is rethrown
  return { height, limit, reply };
}

/** Whether `q` is the query `start` answers in advance. */
export function sameQuery(start: HeadStart, q: HeaderQuery): boolean {
  return q.origin.kind === 'height' && q.origin.height === start.height && q.skip === 0 && q.direction === 'toTip' && q.limit <= start.limit;
}

/**
 * The reply to `q` from `start` when it answers it in full from `helloTip`; undefined when `q` must be sent after all.
 * Rejects as the request would have when `q` is the query sent and it failed.
 */
export async function replyFromHeadStart(start: HeadStart, q: HeaderQuery, helloTip: RootHeader): Promise<RootHeadersReply | undefined> {
  if (!sameQuery(start, q)) return undefined;
  const r = await start.reply;
  if (r.headers.length < q.limit || !equalBytes(rootHeaderHash(r.rootTip), rootHeaderHash(helloTip))) return undefined;
  return r.headers.length === q.limit ? r : { ...r, headers: r.headers.slice(0, q.limit) };
}
