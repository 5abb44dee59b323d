/** Codes of proof of work: seals and difficulty (consensus/), kernels and jobs (src/pow). */
import type { CodeFamily } from './spec.js';

export const POW_CODES = {
  BAD_SEAL: { cls: 'invalid' },
  BAD_MIXHASH: { cls: 'invalid' },
  BAD_DIFFICULTY: { cls: 'invalid' },
  /** The difficulty formula's time must be after the parent's. */
  TIME_NOT_AFTER_PARENT: { cls: 'invalid' },
  BAD_JOB: { cls: 'invalid' },
  BAD_HEIGHT: { cls: 'invalid' },
  /** No hash kernel could be loaded for an algorithm. */
  KERNEL_UNAVAILABLE: { cls: 'internal' },
} as const satisfies CodeFamily;
