/** Codes of the running node: shard hosts and workers (src/shard), the cluster, listening ports. */
import type { CodeFamily } from './spec.js';

export const NODE_CODES = {
  SHARD_UNKNOWN: { cls: 'invalid' },
  SHARD_WORKER_DIED: { cls: 'internal' },
  SHARD_WORKER_FAILED: { cls: 'internal' },
  STRESS_NOT_PREPARED: { cls: 'internal' },
  /** Named in the README: a port in use is a one-line error. */
  PORT_IN_USE: { cls: 'internal' },
  LISTEN_FAILED: { cls: 'internal' },
} as const satisfies CodeFamily;
