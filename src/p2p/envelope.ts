/**
 * The envelope in front of every message body:
 *
 *   type u8 | requestId u32 (requests and responses only) | shardId u32 (shard messages only) | body
 *
 * The type byte alone says which of the two optional fields follow, so each message has exactly
 * one encoding. Request types are even and their response is the next code up. 0x00 is no type,
 * so a zeroed buffer is never a message.
 */
import type { MessageType } from './messageTypes.js';

export interface TypeSpec {
  /** The type byte. */
  readonly code: number;
  /** A request id (u32) follows the type byte. */
  readonly requestId: boolean;
  /** A full shard id (u32) follows, after the request id if any. */
  readonly shard: boolean;
}

const spec = (code: number, requestId: boolean, shard: boolean): TypeSpec => ({ code, requestId, shard });

export const TYPE_SPECS: Readonly<Record<MessageType, TypeSpec>> = {
  HELLO: spec(0x01, false, false),
  DISCONNECT: spec(0x02, false, false),
  NEW_ROOT_TIP: spec(0x03, false, false),
  NEW_SHARD_TIP: spec(0x04, false, true),
  NEW_SHARD_BLOCK: spec(0x05, false, true),
  NEW_TRANSACTIONS: spec(0x06, false, true),
  GET_ROOT_HEADERS: spec(0x10, true, false),
  ROOT_HEADERS: spec(0x11, true, false),
  GET_ROOT_BLOCKS: spec(0x12, true, false),
  ROOT_BLOCKS: spec(0x13, true, false),
  GET_SHARD_HEADERS: spec(0x14, true, true),
  SHARD_HEADERS: spec(0x15, true, true),
  GET_SHARD_BLOCKS: spec(0x16, true, true),
  SHARD_BLOCKS: spec(0x17, true, true),
  PING: spec(0x18, true, false),
  PONG: spec(0x19, true, false),
};

const TYPE_BY_CODE: ReadonlyMap<number, MessageType> = new Map(
  (Object.keys(TYPE_SPECS) as MessageType[]).map((t) => [TYPE_SPECS[t].code, t] as const),
);

/** The message type of a type byte, or undefined for an unknown one. */
export function typeOfCode(code: number): MessageType | undefined {
  return TYPE_BY_CODE.get(code);
}
