/** Codes of src/core: hex, lengths, addresses, branches, the codec, the configuration. */
import type { CodeFamily } from './spec.js';

export const CORE_CODES = {
  // Malformed input; over JSON-RPC, invalid params.
  BAD_HEX: { cls: 'invalid', rpcParam: true },
  BAD_LENGTH: { cls: 'invalid', rpcParam: true },
  BAD_ADDRESS: { cls: 'invalid', rpcParam: true },
  BAD_BRANCH: { cls: 'invalid', rpcParam: true },
  /** A full shard key or id names a chain the configuration does not have. */
  UNKNOWN_CHAIN: { cls: 'invalid', rpcParam: true },
  CODEC_RANGE: { cls: 'invalid', rpcParam: true },
  CODEC_LENGTH: { cls: 'invalid', rpcParam: true },
  CODEC_SHORT: { cls: 'invalid', rpcParam: true },
  CODEC_OVERSIZE: { cls: 'invalid', rpcParam: true },
  CODEC_TRAILING: { cls: 'invalid', rpcParam: true },
  /** A configuration file or value breaks a rule: a usage error on the command line. */
  BAD_CONFIG: { cls: 'invalid', usage: true },
  /** Any thrown value that is not a ChainError (ChainError.from). */
  INTERNAL: { cls: 'internal' },
} as const satisfies CodeFamily;
