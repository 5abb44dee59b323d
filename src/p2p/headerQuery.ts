/**
 * The query of GET_ROOT_HEADERS and GET_SHARD_HEADERS:
 *
 *   origin tag u8 (0 = by hash, 1 = by height) | hash (32) or height u64 | limit u32 | skip u32 | direction u8
 *
 * direction: 0 = toGenesis, 1 = toTip (the index in DIRECTIONS). A limit of 0 or above the
 * message's cap is P2P_BAD_LIMIT (QuarkChain closes the connection on both).
 */
import type { Reader, Writer } from '../core/codec.js';
import { HASH_LEN } from './limits.js';
import { DIRECTIONS, type Direction, type HeaderOrigin, type HeaderQuery } from './messageTypes.js';
import { checkRequested, decodeFail, encodeFail } from './wireChecks.js';

const ORIGIN_BY_HASH = 0;
const ORIGIN_BY_HEIGHT = 1;

export function writeHeaderQuery(w: Writer, q: HeaderQuery, maxLimit: number): void {
  checkRequested(q.limit, maxLimit, 'header limit', encodeFail);
  if (q.origin.kind === 'hash') w.u8(ORIGIN_BY_HASH).fixed(q.origin.hash, HASH_LEN);
  else w.u8(ORIGIN_BY_HEIGHT).u64n(q.origin.height);
  w.u32(q.limit).u32(q.skip).u8(DIRECTIONS.indexOf(q.direction));
}

function readOrigin(r: Reader): HeaderOrigin {
  const tag = r.u8();
  if (tag === ORIGIN_BY_HASH) return { kind: 'hash', hash: r.fixed(HASH_LEN) };
  if (tag === ORIGIN_BY_HEIGHT) return { kind: 'height', height: r.u64n() };
  return decodeFail('P2P_BAD_ENUM', `header origin tag ${tag}`);
}

export function readHeaderQuery(r: Reader, maxLimit: number): HeaderQuery {
  const origin = readOrigin(r);
  const limit = r.u32();
  checkRequested(limit, maxLimit, 'header limit', decodeFail);
  const skip = r.u32();
  const code = r.u8();
  const direction: Direction | undefined = DIRECTIONS[code];
  if (direction === undefined) return decodeFail('P2P_BAD_ENUM', `direction ${code}`);
  return { origin, limit, skip, direction };
}
