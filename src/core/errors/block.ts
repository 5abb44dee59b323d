/** Codes of minor (shard) block and header rules (consensus/validateMinor*.ts, shardChain). */
import type { CodeFamily } from './spec.js';

export const BLOCK_CODES = {
  // Header rules.
  BLOCK_BAD_VERSION: { cls: 'invalid' },
  BLOCK_BAD_BRANCH: { cls: 'invalid' },
  BLOCK_BAD_HEIGHT: { cls: 'invalid' },
  BLOCK_BAD_GAS_LIMIT: { cls: 'invalid' },
  BLOCK_TIME_NOT_AFTER_PARENT: { cls: 'invalid' },
  BLOCK_BAD_DIFFICULTY: { cls: 'invalid' },
  /** Retry once the parent arrives. */
  BLOCK_PARENT_UNKNOWN: { cls: 'notYet' },
  /** Retry once our clock catches up. */
  BLOCK_TIME_IN_FUTURE: { cls: 'notYet' },

  // Body rules.
  /** Retry once the referenced root block arrives. */
  BLOCK_ROOT_UNKNOWN: { cls: 'notYet' },
  BLOCK_ROOT_NOT_DESCENDANT: { cls: 'invalid' },
  BLOCK_ROOT_CONFIRMED_CONFLICT: { cls: 'invalid' },
  BLOCK_BAD_META_HASH: { cls: 'invalid' },
  BLOCK_BAD_XSHARD_GAS_LIMIT: { cls: 'invalid' },
  BLOCK_BAD_COINBASE_SHARD: { cls: 'invalid' },
  BLOCK_BAD_TX_ROOT: { cls: 'invalid' },
  BLOCK_BAD_CURSOR: { cls: 'invalid' },
  BLOCK_BAD_XSHARD_GAS_USED: { cls: 'invalid' },
  BLOCK_BAD_GAS_USED: { cls: 'invalid' },
  BLOCK_BAD_COINBASE_AMOUNT: { cls: 'invalid' },
  BLOCK_BAD_STATE_ROOT: { cls: 'invalid' },
} as const satisfies CodeFamily;
