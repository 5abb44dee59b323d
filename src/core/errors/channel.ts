/** Codes of the shared-memory channel (src/channel) and of cross-shard deposits. */
import type { CodeFamily } from './spec.js';

/** Rings and doorbells (channel/ring*.ts, doorbell.ts). */
export const CHANNEL_CODES = {
  RING_FRAME_TOO_LARGE: { cls: 'invalid' },
  RING_DST_SHORT: { cls: 'invalid' },
  RING_CAPACITY: { cls: 'invalid' },
  RING_INIT: { cls: 'invalid' },
  /** The ring's counters or a frame length are inconsistent: our bug. */
  RING_CORRUPT: { cls: 'internal' },
  RING_LAYOUT: { cls: 'internal' },
  DOORBELL_LAYOUT: { cls: 'internal' },
} as const satisfies CodeFamily;

/** Cross-shard messages (channel/xshard*.ts) and deposits (consensus/applyDeposits.ts). */
export const XSHARD_CODES = {
  XSHARD_SHARDS: { cls: 'invalid' },
  XSHARD_RING_SIZE: { cls: 'invalid' },
  XSHARD_NO_RING: { cls: 'invalid' },
  XSHARD_SEQ_UNKNOWN: { cls: 'invalid' },
  XSHARD_SOURCE_HASH: { cls: 'invalid' },
  XSHARD_TOO_LARGE: { cls: 'invalid' },
  XSHARD_FRAGMENT: { cls: 'internal' },
  XSHARD_CLOSED: { cls: 'internal' },
  /** A source block's deposit list has not arrived yet. */
  XSHARD_LIST_MISSING: { cls: 'notYet' },
} as const satisfies CodeFamily;
