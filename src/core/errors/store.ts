/** Codes of the databases (src/store) and of what the chains keep in them. */
import type { CodeFamily } from './spec.js';

export const STORE_CODES = {
  DB_CLOSED: { cls: 'internal' },
  DB_LOCKED: { cls: 'internal', hint: 'another shardminer uses that datadir: stop it, or use --mem, or another --datadir' },
  DB_OPEN_FAILED: { cls: 'internal', hint: 'check the --datadir path and its permissions' },
  DB_CORRUPT: { cls: 'internal' },
  /** The database was created with another configuration. */
  CONFIG_MISMATCH: { cls: 'internal', hint: 'start with the flags the datadir was created with, or use --mem, or another --datadir' },
  /** A query for state older than the retained blocks. */
  STATE_PRUNED: { cls: 'invalid' },
} as const satisfies CodeFamily;
