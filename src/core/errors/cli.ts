/** Codes of the command line (src/cli, flag parsers shared with rpc/ and cluster/). */
import type { CodeFamily } from './spec.js';

export const CLI_CODES = {
  /** A bad flag value: a usage error. */
  BAD_FLAG: { cls: 'invalid', usage: true },
  /** `send --wait`: the transaction did not land in time. */
  TIMEOUT: { cls: 'invalid' },
} as const satisfies CodeFamily;
