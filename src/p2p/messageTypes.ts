/**
 * The P2P messages as typed values (DESIGN §10, reference/sync.md §4). Headers and blocks are
 * the core types and travel in their canonical encodings. The root tip's total difficulty is
 * the header's own `totalDifficulty` field (sealed, and checked when the header is validated),
 * so it is not sent a second time. A shard tip's shard is its header's `branch`.
 */
import type { Bytes } from '../core/bytes.js';
import type { MinorBlock, MinorHeader } from '../core/minorBlock.js';
import type { RootBlock, RootHeader } from '../core/rootBlock.js';
import type { ConsensusParam } from '../consensus/consensusParams.js';

/** The protocol version this code speaks; a HELLO with another one is refused. 2: HELLO carries the consensus parameters. */
export const PROTOCOL_VERSION = 2;

/** Where a header walk starts: a block hash, or a height on the server's canonical chain. */
export type HeaderOrigin =
  | { readonly kind: 'hash'; readonly hash: Bytes }
  | { readonly kind: 'height'; readonly height: number };

/** Which way a header walk goes from its origin. */
export type Direction = 'toGenesis' | 'toTip';
export const DIRECTIONS: readonly Direction[] = ['toGenesis', 'toTip'];

/** Why a connection ends; the wire carries the index in this list. */
export const DISCONNECT_REASONS = [
  /** A normal close (shutting down, no longer needed). */
  'REQUESTED',
  'PROTOCOL_VERSION',
  'NETWORK_ID',
  'GENESIS',
  'SELF_CONNECT',
  'DUPLICATE_PEER',
  'TOO_MANY_PEERS',
  /** A message before HELLO, a second HELLO, or no HELLO in time. */
  'HANDSHAKE',
  /** A frame that does not decode. */
  'BAD_MESSAGE',
  /** A tip announcement that breaks monotonicity. */
  'BAD_TIP',
  /** An unrequested, mismatched or over-long response. */
  'BAD_RESPONSE',
  /** Too many requests in flight, a request id reused while in flight, or requests past the peer's budget. */
  'BAD_REQUEST',
  'TIMEOUT',
  /** An invalid seal or block. */
  'BAD_BLOCK',
  /** Refused: this peer is banned for a while. */
  'BANNED',
  /** Another configuration: a consensus parameter differs (the text names the first one). */
  'CONFIG',
] as const;
export type DisconnectReason = (typeof DISCONNECT_REASONS)[number];

/** First message both ways. */
export interface Hello {
  readonly type: 'HELLO';
  readonly protocolVersion: number;
  readonly networkId: number;
  readonly genesisRootHash: Bytes;
  /** Every consensus parameter, in consensusParams' order: a peer's first differing one is named when it is refused. */
  readonly params: readonly ConsensusParam[];
  readonly nodeId: Bytes;
  /** The port this node accepts connections on; 0 = not listening. */
  readonly listenPort: number;
  readonly rootTip: RootHeader;
  /** One header per shard, in ascending full shard id. */
  readonly shardTips: readonly MinorHeader[];
}

export interface NewRootTip {
  readonly type: 'NEW_ROOT_TIP';
  readonly rootTip: RootHeader;
}

export interface NewShardTip {
  readonly type: 'NEW_SHARD_TIP';
  readonly shardId: number;
  /** The sender's root tip when it announced this shard tip. */
  readonly rootTip: RootHeader;
  readonly shardTip: MinorHeader;
}

/**
 * Transfers accepted into the sender's pool, relayed (QuarkChain's `broadcast_tx_list`): each in
 * its canonical encoding (TX_LEN bytes), undecoded here; the shard decodes and admits them.
 */
export interface NewTransactions {
  readonly type: 'NEW_TRANSACTIONS';
  readonly shardId: number;
  readonly txs: readonly Bytes[];
}

export interface NewShardBlock {
  readonly type: 'NEW_SHARD_BLOCK';
  readonly shardId: number;
  readonly block: MinorBlock;
}

/** The fields of a header request, root or shard. */
export interface HeaderQuery {
  readonly origin: HeaderOrigin;
  /** Headers wanted, 1 … the message's cap. */
  readonly limit: number;
  /** Heights skipped between two returned headers (0 = consecutive). */
  readonly skip: number;
  readonly direction: Direction;
}

export interface GetRootHeaders extends HeaderQuery {
  readonly type: 'GET_ROOT_HEADERS';
  readonly requestId: number;
}

export interface RootHeaders {
  readonly type: 'ROOT_HEADERS';
  readonly requestId: number;
  readonly rootTip: RootHeader;
  readonly headers: readonly RootHeader[];
}

export interface GetRootBlocks {
  readonly type: 'GET_ROOT_BLOCKS';
  readonly requestId: number;
  readonly hashes: readonly Bytes[];
  /** Asks for the shard blocks the root blocks list too, at most this many bytes of them (p2p/rootBundle.ts); absent: none. */
  readonly shardBytes?: number;
}

export interface RootBlocks {
  readonly type: 'ROOT_BLOCKS';
  readonly requestId: number;
  readonly blocks: readonly RootBlock[];
  /** Per root block, a prefix of the shard blocks it lists, in listing order (only when the request gave `shardBytes`). */
  readonly shardBlocks?: readonly (readonly MinorBlock[])[];
}

export interface GetShardHeaders extends HeaderQuery {
  readonly type: 'GET_SHARD_HEADERS';
  readonly requestId: number;
  readonly shardId: number;
}

export interface ShardHeaders {
  readonly type: 'SHARD_HEADERS';
  readonly requestId: number;
  readonly shardId: number;
  readonly rootTip: RootHeader;
  readonly shardTip: MinorHeader;
  readonly headers: readonly MinorHeader[];
}

export interface GetShardBlocks {
  readonly type: 'GET_SHARD_BLOCKS';
  readonly requestId: number;
  readonly shardId: number;
  readonly hashes: readonly Bytes[];
}

export interface ShardBlocks {
  readonly type: 'SHARD_BLOCKS';
  readonly requestId: number;
  readonly shardId: number;
  readonly blocks: readonly MinorBlock[];
}

/** Liveness probe; the request id doubles as the nonce the PONG echoes. */
export interface Ping {
  readonly type: 'PING';
  readonly requestId: number;
}

export interface Pong {
  readonly type: 'PONG';
  readonly requestId: number;
}

export interface Disconnect {
  readonly type: 'DISCONNECT';
  readonly reason: DisconnectReason;
  /** Printable UTF-8 for logs, at most MAX_DISCONNECT_TEXT_BYTES (see `sanitizeText`). */
  readonly text: string;
}

export type RequestMessage = GetRootHeaders | GetRootBlocks | GetShardHeaders | GetShardBlocks | Ping;
export type ResponseMessage = RootHeaders | RootBlocks | ShardHeaders | ShardBlocks | Pong;
export type Message = Hello | NewRootTip | NewShardTip | NewShardBlock | NewTransactions | Disconnect | RequestMessage | ResponseMessage;
export type MessageType = Message['type'];
export type RequestType = RequestMessage['type'];
export type ResponseType = ResponseMessage['type'];

/** The response type that answers each request type. */
export const RESPONSE_TO: Readonly<Record<RequestType, ResponseType>> = {
  GET_ROOT_HEADERS: 'ROOT_HEADERS',
  GET_ROOT_BLOCKS: 'ROOT_BLOCKS',
  GET_SHARD_HEADERS: 'SHARD_HEADERS',
  GET_SHARD_BLOCKS: 'SHARD_BLOCKS',
  PING: 'PONG',
};

export function isRequest(m: Message): m is RequestMessage {
  return m.type in RESPONSE_TO;
}

export function isResponse(m: Message): m is ResponseMessage {
  return m.type === 'ROOT_HEADERS' || m.type === 'ROOT_BLOCKS' || m.type === 'SHARD_HEADERS' || m.type === 'SHARD_BLOCKS' || m.type === 'PONG';
}
