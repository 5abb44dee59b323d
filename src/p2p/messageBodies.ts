/**
 * Message bodies (after the envelope, see envelope.ts). Headers and blocks use their canonical
 * core encodings; lists are u32-count-prefixed and bounded (boundedList.ts).
 *
 *   HELLO              protocolVersion u32 | networkId u32 | genesisRootHash (32) | params [name text | value text] |
 *                      nodeId (32) | listenPort u32 | rootTip RootHeader | shardTips [MinorHeader] (ascending branch)
 *   DISCONNECT         reason u8 | text (u32 length + UTF-8)
 *   NEW_ROOT_TIP       rootTip RootHeader
 *   NEW_SHARD_TIP      rootTip RootHeader | shardTip MinorHeader
 *   NEW_SHARD_BLOCK    block MinorBlock
 *   NEW_TRANSACTIONS   txs [(TX_LEN)]: canonical transfer encodings, decoded by the shard
 *   GET_*_HEADERS      origin (u8 0 + hash (32) | u8 1 + height u64) | limit u32 | skip u32 | direction u8
 *   ROOT_HEADERS       rootTip RootHeader | headers [RootHeader]
 *   SHARD_HEADERS      rootTip RootHeader | shardTip MinorHeader | headers [MinorHeader]
 *   GET_*_BLOCKS       hashes [(32)]             (GET_ROOT_BLOCKS: then optionally shardBytes u32, rootBundle.ts)
 *   ROOT_BLOCKS        blocks [RootBlock]        (then optionally shardBlocks [[MinorBlock]], rootBundle.ts)
 *   SHARD_BLOCKS       blocks [MinorBlock]
 *   PING, PONG         (empty)
 *
 * Every header and block of a shard message must be on the envelope's shard. skip is a u32 and
 * limit ≤ 1000, so a server's height arithmetic (skip + 1) · limit stays below 2^53.
 */
import type { Reader, Writer } from '../core/codec.js';
import { readMinorBlockLazily, readMinorHeader, writeMinorBlock, writeMinorHeader, MINOR_HEADER_LEN } from '../core/minorBlock.js';
import { readRootBlock, readRootHeader, writeRootBlock, writeRootHeader, ROOT_HEADER_LEN } from '../core/rootBlock.js';
import type { MinorHeader } from '../core/minorBlock.js';
import type { ConsensusParam } from '../consensus/consensusParams.js';
import { TX_LEN } from '../core/transaction.js';
import { readBoundedList, writeBoundedList, type ListBound } from './boundedList.js';
import {
  HASH_LEN, MAX_CONSENSUS_PARAMS, MAX_PARAM_TEXT_BYTES, MAX_RELAY_TXS, MAX_ROOT_BLOCKS, MAX_ROOT_HEADERS, MAX_SHARD_BLOCKS, MAX_SHARD_HEADERS, MAX_SHARD_TIPS, NODE_ID_LEN,
} from './limits.js';
import { readHeaderQuery, writeHeaderQuery } from './headerQuery.js';
import { DISCONNECT_REASONS, type DisconnectReason, type Message, type MessageType } from './messageTypes.js';
import { checkBranch, checkPort, checkRequested, checkShardId, decodeFail, encodeFail, type Fail } from './wireChecks.js';
import { readText, writeText } from './wireText.js';
import { readBundle, readBundleRequest, writeBundle, writeBundleRequest } from './rootBundle.js';

/** A list count prefix. */
const COUNT_LEN = 4;
/** Minor block meta: two hashes and six u64s (core/minorBlock.ts). */
const MINOR_META_LEN = 2 * 32 + 6 * 8;

const list = (max: number, minItemBytes: number, what: string): ListBound => ({ max, minItemBytes, what });
const SHARD_TIPS = list(MAX_SHARD_TIPS, MINOR_HEADER_LEN, 'shard tips');
const ROOT_HEADERS = list(MAX_ROOT_HEADERS, ROOT_HEADER_LEN, 'root headers');
const ROOT_HASHES = list(MAX_ROOT_BLOCKS, HASH_LEN, 'root block hashes');
const ROOT_BLOCKS = list(MAX_ROOT_BLOCKS, ROOT_HEADER_LEN + COUNT_LEN, 'root blocks');
const SHARD_HEADERS = list(MAX_SHARD_HEADERS, MINOR_HEADER_LEN, 'shard headers');
const SHARD_HASHES = list(MAX_SHARD_BLOCKS, HASH_LEN, 'shard block hashes');
const RELAY_TXS = list(MAX_RELAY_TXS, TX_LEN, 'relayed transfers');
/** Two u32 length prefixes at least. */
const PARAMS = list(MAX_CONSENSUS_PARAMS, 2 * COUNT_LEN, 'consensus parameters');
const SHARD_BLOCKS = list(MAX_SHARD_BLOCKS, MINOR_HEADER_LEN + MINOR_META_LEN + COUNT_LEN, 'shard blocks');

/** What the envelope said, for the body reader. */
export interface EnvelopeFields {
  readonly frameLen: number;
  readonly requestId: number;
  readonly shardId: number;
}

const writeHash = (w: Writer, h: Uint8Array): void => void w.fixed(h, HASH_LEN);
const readHash = (r: Reader): Uint8Array => r.fixed(HASH_LEN);
const writeTxBytes = (w: Writer, tx: Uint8Array): void => void w.fixed(tx, TX_LEN);
const readTxBytes = (r: Reader): Uint8Array => r.fixed(TX_LEN);
const writeParam = (w: Writer, p: ConsensusParam): void => {
  writeText(w, p.name, MAX_PARAM_TEXT_BYTES);
  writeText(w, p.value, MAX_PARAM_TEXT_BYTES);
};
const readParam = (r: Reader): ConsensusParam => ({ name: readText(r, MAX_PARAM_TEXT_BYTES), value: readText(r, MAX_PARAM_TEXT_BYTES) });

/** HELLO shard tips: each on a real shard, in strictly ascending full shard id (so no shard twice). */
function checkShardTips(tips: readonly MinorHeader[], fail: Fail): void {
  for (let i = 0; i < tips.length; i++) {
    checkShardId(tips[i]!.branch, fail);
    if (i > 0 && tips[i]!.branch <= tips[i - 1]!.branch) fail('P2P_SHARD_TIPS_ORDER', `shard tip ${i} is not above the one before it`);
  }
}

export function writeBody(w: Writer, m: Message): void {
  switch (m.type) {
    case 'HELLO':
      checkPort(m.listenPort, encodeFail);
      checkShardTips(m.shardTips, encodeFail);
      w.u32(m.protocolVersion).u32(m.networkId).fixed(m.genesisRootHash, HASH_LEN);
      writeBoundedList(w, m.params, PARAMS, writeParam);
      w.fixed(m.nodeId, NODE_ID_LEN).u32(m.listenPort);
      writeRootHeader(w, m.rootTip);
      return writeBoundedList(w, m.shardTips, SHARD_TIPS, writeMinorHeader);
    case 'DISCONNECT':
      w.u8(DISCONNECT_REASONS.indexOf(m.reason));
      return writeText(w, m.text);
    case 'NEW_ROOT_TIP':
      return writeRootHeader(w, m.rootTip);
    case 'NEW_SHARD_TIP':
      checkBranch(m.shardTip.branch, m.shardId, 'shard tip', encodeFail);
      writeRootHeader(w, m.rootTip);
      return writeMinorHeader(w, m.shardTip);
    case 'NEW_SHARD_BLOCK':
      checkBranch(m.block.header.branch, m.shardId, 'block', encodeFail);
      return writeMinorBlock(w, m.block);
    case 'NEW_TRANSACTIONS':
      return writeBoundedList(w, m.txs, RELAY_TXS, writeTxBytes);
    case 'GET_ROOT_HEADERS':
      return writeHeaderQuery(w, m, MAX_ROOT_HEADERS);
    case 'GET_SHARD_HEADERS':
      return writeHeaderQuery(w, m, MAX_SHARD_HEADERS);
    case 'ROOT_HEADERS':
      writeRootHeader(w, m.rootTip);
      return writeBoundedList(w, m.headers, ROOT_HEADERS, writeRootHeader);
    case 'SHARD_HEADERS':
      checkBranch(m.shardTip.branch, m.shardId, 'shard tip', encodeFail);
      for (const h of m.headers) checkBranch(h.branch, m.shardId, 'header', encodeFail);
      writeRootHeader(w, m.rootTip);
      writeMinorHeader(w, m.shardTip);
      return writeBoundedList(w, m.headers, SHARD_HEADERS, writeMinorHeader);
    case 'GET_ROOT_BLOCKS':
      checkRequested(m.hashes.length, MAX_ROOT_BLOCKS, 'root block hashes', encodeFail);
      writeBoundedList(w, m.hashes, ROOT_HASHES, writeHash);
      return writeBundleRequest(w, m.shardBytes, encodeFail);
    case 'GET_SHARD_BLOCKS':
      checkRequested(m.hashes.length, MAX_SHARD_BLOCKS, 'shard block hashes', encodeFail);
      return writeBoundedList(w, m.hashes, SHARD_HASHES, writeHash);
    case 'ROOT_BLOCKS':
      writeBoundedList(w, m.blocks, ROOT_BLOCKS, writeRootBlock);
      return writeBundle(w, m.blocks, m.shardBlocks, encodeFail);
    case 'SHARD_BLOCKS':
      for (const b of m.blocks) checkBranch(b.header.branch, m.shardId, 'block', encodeFail);
      return writeBoundedList(w, m.blocks, SHARD_BLOCKS, writeMinorBlock);
    case 'PING':
    case 'PONG':
      return;
  }
}

function readShardHeader(r: Reader, shardId: number, what: string): MinorHeader {
  const h = readMinorHeader(r);
  checkBranch(h.branch, shardId, what, decodeFail);
  return h;
}

/** Reads the body of a message of `type` whose envelope said `env`. */
export function readBody(type: MessageType, r: Reader, env: EnvelopeFields): Message {
  const { frameLen, requestId, shardId } = env;
  switch (type) {
    case 'HELLO': {
      const protocolVersion = r.u32();
      const networkId = r.u32();
      const genesisRootHash = r.fixed(HASH_LEN);
      const params = readBoundedList(r, frameLen, PARAMS, readParam);
      const nodeId = r.fixed(NODE_ID_LEN);
      const listenPort = r.u32();
      checkPort(listenPort, decodeFail);
      const rootTip = readRootHeader(r);
      const shardTips = readBoundedList(r, frameLen, SHARD_TIPS, readMinorHeader);
      checkShardTips(shardTips, decodeFail);
      return { type, protocolVersion, networkId, genesisRootHash, params, nodeId, listenPort, rootTip, shardTips };
    }
    case 'DISCONNECT': {
      const code = r.u8();
      const reason: DisconnectReason | undefined = DISCONNECT_REASONS[code];
      if (reason === undefined) return decodeFail('P2P_BAD_ENUM', `disconnect reason ${code}`);
      return { type, reason, text: readText(r) };
    }
    case 'NEW_ROOT_TIP':
      return { type, rootTip: readRootHeader(r) };
    case 'NEW_SHARD_TIP':
      return { type, shardId, rootTip: readRootHeader(r), shardTip: readShardHeader(r, shardId, 'shard tip') };
    case 'NEW_SHARD_BLOCK': {
      const block = readMinorBlockLazily(r);
      checkBranch(block.header.branch, shardId, 'block', decodeFail);
      return { type, shardId, block };
    }
    case 'NEW_TRANSACTIONS':
      return { type, shardId, txs: readBoundedList(r, frameLen, RELAY_TXS, readTxBytes) };
    case 'GET_ROOT_HEADERS':
      return { type, requestId, ...readHeaderQuery(r, MAX_ROOT_HEADERS) };
    case 'GET_SHARD_HEADERS':
      return { type, requestId, shardId, ...readHeaderQuery(r, MAX_SHARD_HEADERS) };
    case 'ROOT_HEADERS':
      return { type, requestId, rootTip: readRootHeader(r), headers: readBoundedList(r, frameLen, ROOT_HEADERS, readRootHeader) };
    case 'SHARD_HEADERS': {
      const rootTip = readRootHeader(r);
      const shardTip = readShardHeader(r, shardId, 'shard tip');
      const headers = readBoundedList(r, frameLen, SHARD_HEADERS, (rr) => readShardHeader(rr, shardId, 'header'));
      return { type, requestId, shardId, rootTip, shardTip, headers };
    }
    case 'GET_ROOT_BLOCKS': {
      const hashes = readBoundedList(r, frameLen, ROOT_HASHES, readHash);
      checkRequested(hashes.length, MAX_ROOT_BLOCKS, 'root block hashes', decodeFail);
      const shardBytes = readBundleRequest(r, frameLen, decodeFail);
      return shardBytes === undefined ? { type, requestId, hashes } : { type, requestId, hashes, shardBytes };
    }
    case 'GET_SHARD_BLOCKS': {
      const hashes = readBoundedList(r, frameLen, SHARD_HASHES, readHash);
      checkRequested(hashes.length, MAX_SHARD_BLOCKS, 'shard block hashes', decodeFail);
      return { type, requestId, shardId, hashes };
    }
    case 'ROOT_BLOCKS': {
      const blocks = readBoundedList(r, frameLen, ROOT_BLOCKS, readRootBlock);
      const shardBlocks = readBundle(r, frameLen, blocks, decodeFail);
      return shardBlocks === undefined ? { type, requestId, blocks } : { type, requestId, blocks, shardBlocks };
    }
    case 'SHARD_BLOCKS': {
      const blocks = readBoundedList(r, frameLen, SHARD_BLOCKS, (rr) => {
        const b = readMinorBlockLazily(rr);
        checkBranch(b.header.branch, shardId, 'block', decodeFail);
        return b;
      });
      return { type, requestId, shardId, blocks };
    }
    case 'PING':
    case 'PONG':
      return { type, requestId };
  }
}
