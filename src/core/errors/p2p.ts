/**
 * Codes of the P2P layer (src/p2p, DESIGN §10). A peer fault (p2p/peerFault.ts) is the peer's
 * doing, so its code is `invalid` (a Peer rejects the waiting request with it); whether the fault
 * is fatal is decided where it is raised (peerFault's `fatal`, SYNC_FAULTS).
 */
import type { CodeFamily } from './spec.js';

export const P2P_CODES = {
  // A peer's frame that does not decode (p2p/messages.ts, DECODE_ERROR_CODES).
  P2P_FRAME_TOO_LARGE: { cls: 'invalid', decode: true },
  P2P_UNKNOWN_TYPE: { cls: 'invalid', decode: true },
  P2P_TRUNCATED: { cls: 'invalid', decode: true },
  P2P_TRAILING: { cls: 'invalid', decode: true },
  P2P_LIST_TOO_LONG: { cls: 'invalid', decode: true },
  P2P_BAD_LIMIT: { cls: 'invalid', decode: true },
  P2P_BAD_ENUM: { cls: 'invalid', decode: true },
  P2P_BAD_VALUE: { cls: 'invalid', decode: true },
  P2P_BAD_SHARD: { cls: 'invalid', decode: true },
  P2P_BRANCH_MISMATCH: { cls: 'invalid', decode: true },
  P2P_SHARD_TIPS_ORDER: { cls: 'invalid', decode: true },
  P2P_TEXT_TOO_LONG: { cls: 'invalid', decode: true },
  P2P_BAD_TEXT: { cls: 'invalid', decode: true },
  P2P_MALFORMED: { cls: 'invalid', decode: true },
  /** A ROOT_BLOCKS bundle whose shard blocks are not the ones its root block lists, in its order (p2p/rootBundle.ts). */
  P2P_BUNDLE_MISMATCH: { cls: 'invalid', decode: true },
  // Our own codec failed, or refused to send what a peer would reject.
  P2P_DECODE_FAILED: { cls: 'internal' },
  P2P_ENCODE_INVALID: { cls: 'internal' },
  P2P_ENCODE_TOO_LARGE: { cls: 'internal' },

  // The connection and its frames (p2p/peer.ts).
  P2P_TEXT_FRAME: { cls: 'invalid' },
  P2P_BAD_WS_FRAME: { cls: 'invalid' },
  P2P_PEER_CLOSED: { cls: 'internal' },

  // The handshake (p2p/handshake.ts, network.ts).
  P2P_VERSION_MISMATCH: { cls: 'invalid' },
  P2P_NETWORK_MISMATCH: { cls: 'invalid' },
  P2P_GENESIS_MISMATCH: { cls: 'invalid' },
  /** A consensus parameter differs (the detail names the first one); before the genesis check, which it explains. */
  P2P_CONFIG_MISMATCH: { cls: 'invalid' },
  P2P_SELF_CONNECT: { cls: 'invalid' },
  P2P_DUPLICATE_PEER: { cls: 'invalid' },
  P2P_HELLO_EXPECTED: { cls: 'invalid' },
  P2P_DUPLICATE_HELLO: { cls: 'invalid' },
  P2P_HANDSHAKE_TIMEOUT: { cls: 'invalid' },
  P2P_SHUTTING_DOWN: { cls: 'invalid' },
  P2P_TOO_MANY_PEERS: { cls: 'invalid' },
  /** A handshake fault when the peer is banned; `notYet` when we refuse to dial it (retry after the ban). */
  P2P_BANNED: { cls: 'invalid', alsoCls: 'notYet' },

  // Tips (p2p/tipRules.ts).
  P2P_ROOT_TD_DECREASED: { cls: 'invalid' },
  P2P_ROOT_TIP_CONFLICT: { cls: 'invalid' },
  P2P_SHARD_HEIGHT_DECREASED: { cls: 'invalid' },

  // Requests and responses (p2p/requestTracker.ts, inboundRequests.ts, peerBudget.ts).
  /** Our own cap on requests in flight: retry later. */
  P2P_TOO_MANY_OUTSTANDING: { cls: 'notYet' },
  P2P_TIMEOUT: { cls: 'invalid' },
  P2P_LATE_RESPONSE: { cls: 'invalid' },
  P2P_UNREQUESTED: { cls: 'invalid' },
  P2P_RESPONSE_MISMATCH: { cls: 'invalid' },
  P2P_TOO_MANY_ITEMS: { cls: 'invalid' },
  P2P_DUPLICATE_REQUEST_ID: { cls: 'invalid' },
  P2P_TOO_MANY_REQUESTS: { cls: 'invalid' },
  /** A request past the peer's budget (p2p/peerBudget.ts: requests or bytes per second): not answered, costs score. */
  P2P_OVER_BUDGET: { cls: 'invalid' },

  // Sync (p2p/peerFault.ts SYNC_FAULTS, with their fatality and DISCONNECT reason).
  P2P_BAD_SEAL: { cls: 'invalid' },
  P2P_BAD_HEADER: { cls: 'invalid' },
  P2P_HEADERS_NOT_LINKED: { cls: 'invalid' },
  P2P_HEADERS_NOT_CONTIGUOUS: { cls: 'invalid' },
  P2P_SHORT_RESPONSE: { cls: 'invalid' },
  P2P_TD_MISMATCH: { cls: 'invalid' },
  P2P_TIP_MISMATCH: { cls: 'invalid' },
  P2P_BLOCK_MISMATCH: { cls: 'invalid' },
  P2P_BAD_BODY: { cls: 'invalid' },
  P2P_BAD_BLOCK: { cls: 'invalid' },
  P2P_NO_COMMON_ANCESTOR: { cls: 'invalid' },
  /** A body download handed to another peer for being slow, then timed out (sync/downloadBodies.ts): costs score, not fatal. */
  P2P_STALLED: { cls: 'invalid' },
  /** A handed-off body download's late root blocks came: the shard blocks they list are not asked for (no one's fault). */
  P2P_DOWNLOAD_DROPPED: { cls: 'internal' },
  // Relayed transfers our pool refused as invalid (p2p/relay/txRelay.ts): the relaying peer's, not fatal.
  P2P_BAD_TX: { cls: 'invalid' },
  // Shard sync found no stored ancestor within its bound: a fork that deep is root sync's to resolve.
  P2P_SYNC_TOO_DEEP: { cls: 'notYet' },
} as const satisfies CodeFamily;
