/** Codes of the command line (src/cli, flag parsers shared with rpc/ and cluster/). */
import type { CodeFamily } from './spec.js';

export const CLI_CODES = {
  /** A bad flag value: a usage error. */
  BAD_FLAG: { cls: 'invalid', usage: true, hint: "see 'shardminer <command> --help'" },
  /** `send --wait`: the transaction did not land in time. */
  TIMEOUT: { cls: 'invalid', hint: 'raise --timeout, or check that the node is mining' },
} as const satisfies CodeFamily;
