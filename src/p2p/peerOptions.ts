/**
 * The shapes and constants of one P2P connection (src/p2p/peer.ts): what a peer announces and is
 * asked, the timings tests shorten, and the `ws` socket options shared by the server and dialling.
 */
import type { Bytes } from '../core/bytes.js';
import { MAX_FRAME_BYTES } from './limits.js';
import type { PeerBudget } from './peerBudget.js';
import type { Hello, NewRootTip, NewShardBlock, NewShardTip, NewTransactions, RequestMessage, ResponseMessage } from './messages.js';
import { HANDSHAKE_TIMEOUT_MS, MAX_OUTSTANDING_REQUESTS, REQUEST_TIMEOUT_MS, type PeerDecision, type PeerFault } from './peerRules.js';

/** A peer that has not finished the WebSocket close handshake this long after ours is cut off. */
export const CLOSE_GRACE_MS = 1_000;
/** Unsent bytes queued to one peer before it counts as not reading: two full frames. */
export const MAX_SEND_BUFFER_BYTES = 2 * MAX_FRAME_BYTES;

/** The messages a peer announces, handed to the handler once their tips pass PeerTips. */
export type Announcement = NewRootTip | NewShardTip | NewShardBlock | NewTransactions;
/** A request the handler answers (PING is answered by the Peer itself). */
export type ServedRequest = Exclude<RequestMessage, { type: 'PING' }>;
/** `Omit` applied to each member of a union, so the result is still a discriminated union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** The handler's answer to a ServedRequest, before it gets the request's id. */
export type ResponseBody = DistributiveOmit<Exclude<ResponseMessage, { type: 'PONG' }>, 'requestId'>;

/** Timings, shortened by tests. */
export interface PeerTimings {
  readonly handshakeTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxOutstanding: number;
  /** An injected one-way delay on every frame we send (bench/sync.ts, tests of a slow link); 0 in a real node. */
  readonly sendDelayMs: number;
}

export const DEFAULT_PEER_TIMINGS: PeerTimings = {
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  maxOutstanding: MAX_OUTSTANDING_REQUESTS,
  sendDelayMs: 0,
};

/** The `ws` options of a P2P socket, for the server and for dialling: frames up to the cap, no compression (a zip bomb would bypass the cap's intent). */
export const WS_OPTIONS = { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false } as const;

/** The owner's side of a connection, over the peer class `Peer` (generic so this file needs no import of peer.ts). */
/** What a Peer tells its owner. No method may be relied on to be called more than once, except onAnnounce and onFault. */
export interface PeerHandlerOf<Peer> {
  /** The handshake passed: the peer may now be used. */
  onReady(peer: Peer): void;
  /** Our HELLO went out: requests may be sent from now on (answered once the handshake passes). */
  onHelloSent?(peer: Peer): void;
  onAnnounce(peer: Peer, msg: Announcement): void;
  /** Answer a request; a rejection or a wrong response type leaves it unanswered (the requester times out). */
  onRequest(peer: Peer, msg: ServedRequest): Promise<ResponseBody>;
  /** A fault of the peer's; `fatal` ones have already made the peer disconnect. */
  onFault(peer: Peer, fault: PeerFault): void;
  /** The socket closed (once, whatever the cause). */
  onClose(peer: Peer): void;
}

export interface PeerOptionsOf<Peer> {
  /** Our HELLO, as sent. */
  readonly hello: Hello;
  readonly handler: PeerHandlerOf<Peer>;
  /** True for a connection we dialled. */
  readonly outbound: boolean;
  /** The remote address, for logs and bans ("host:port"). */
  readonly address: string;
  /** Another connection to this node id already passed its handshake (checkHello's duplicate rule). */
  readonly isConnected?: (nodeId: Bytes) => boolean;
  /** The owner's last word on a HELLO that passed checkHello (ban list, peer cap); it may register the peer. */
  readonly admit?: (peer: Peer, hello: Hello) => PeerDecision;
  readonly timings?: Partial<PeerTimings>;
  /** What the peer may ask of us (peerBudget.ts; its own with DEFAULT_BUDGET unless given, possibly shared with other connections from its IP). */
  readonly budget?: PeerBudget;
  readonly now?: () => number;
}
