/** Codes of src/core: hex, lengths, addresses, branches, the codec, the configuration. */
import type { CodeFamily } from './spec.js';

export const CORE_CODES = {
  // Malformed input; over JSON-RPC, invalid params.
  BAD_HEX: { cls: 'invalid', rpcParam: true },
  BAD_LENGTH: { cls: 'invalid', rpcParam: true },
  BAD_ADDRESS: { cls: 'invalid', rpcParam: true, hint: 'expected 0x + 48 hex digits (20-byte recipient + 4-byte full shard key)' },
  BAD_BRANCH: { cls: 'invalid', rpcParam: true },
  /** A full shard key or id names a chain the configuration does not have. */
  UNKNOWN_CHAIN: { cls: 'invalid', rpcParam: true },
  CODEC_RANGE: { cls: 'invalid', rpcParam: true },
  CODEC_LENGTH: { cls: 'invalid', rpcParam: true },
  CODEC_SHORT: { cls: 'invalid', rpcParam: true },
  CODEC_OVERSIZE: { cls: 'invalid', rpcParam: true },
  CODEC_TRAILING: { cls: 'invalid', rpcParam: true },
  /** A configuration file or value breaks a rule: a usage error on the command line. */
  BAD_CONFIG: { cls: 'invalid', usage: true, hint: "fix the field; the schema is in the README ('Configuration')" },
  /** Any thrown value that is not a ChainError (ChainError.from). */
  INTERNAL: { cls: 'internal', hint: 'this is a shardminer bug: please report it with the command line that caused it' },
} as const satisfies CodeFamily;
