/** Codes of the running node: shard hosts and workers (src/shard), the cluster, listening ports. */
import type { CodeFamily } from './spec.js';

export const NODE_CODES = {
  SHARD_UNKNOWN: { cls: 'invalid' },
  SHARD_WORKER_DIED: { cls: 'internal', hint: 'this is a shardminer bug: please report it with the command line that caused it' },
  SHARD_WORKER_FAILED: { cls: 'internal' },
  STRESS_NOT_PREPARED: { cls: 'internal' },
  /** Named in the README: a port in use is a one-line error. */
  PORT_IN_USE: { cls: 'internal', hint: 'stop what holds the port, or pass --ports-offset 1, or port 0 for any free port' },
  LISTEN_FAILED: { cls: 'internal', hint: 'check the host and port flags' },
} as const satisfies CodeFamily;
