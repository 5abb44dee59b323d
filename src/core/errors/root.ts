/** Codes of root block rules (consensus/validateRootBlock.ts, root/, shardChain.addRootBlock). */
import type { CodeFamily } from './spec.js';

export const ROOT_CODES = {
  // Header rules.
  ROOT_BAD_VERSION: { cls: 'invalid' },
  ROOT_BAD_HEIGHT: { cls: 'invalid' },
  ROOT_TIME_NOT_AFTER_PARENT: { cls: 'invalid' },
  ROOT_BAD_DIFFICULTY: { cls: 'invalid' },
  ROOT_BAD_TOTAL_DIFFICULTY: { cls: 'invalid' },
  /** Retry once the parent arrives. */
  ROOT_PARENT_UNKNOWN: { cls: 'notYet' },
  /** Retry once our clock catches up. */
  ROOT_TIME_IN_FUTURE: { cls: 'notYet' },

  // Body rules: the confirmed minor headers, coinbase, merkle root.
  ROOT_UNKNOWN_SHARD: { cls: 'invalid' },
  ROOT_MINOR_ORDER: { cls: 'invalid' },
  /** A confirmed minor header not committed here yet. */
  ROOT_MINOR_UNKNOWN: { cls: 'notYet' },
  ROOT_MINOR_TIME: { cls: 'invalid' },
  ROOT_MINOR_ROOT_REFERENCE: { cls: 'invalid' },
  ROOT_TOO_MANY_HEADERS: { cls: 'invalid' },
  ROOT_MINOR_DISCONTINUOUS: { cls: 'invalid' },
  ROOT_BAD_COINBASE_ADDRESS: { cls: 'invalid' },
  ROOT_BAD_MERKLE_ROOT: { cls: 'invalid' },
  ROOT_BAD_COINBASE_AMOUNT: { cls: 'invalid' },

  // A shard told about a root block (shardChain).
  ROOT_UNKNOWN: { cls: 'notYet' },
  /** The root block confirms a block of this shard we do not have yet. */
  ROOT_MISSING_OWN_BLOCK: { cls: 'notYet' },
} as const satisfies CodeFamily;
