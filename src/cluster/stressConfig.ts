/**
 * What a stress run is asked to do (options, progress) and the chain it runs on: the
 * configuration (big blocks, fast shard blocks, many dev accounts) and the coordinator options
 * (in memory, old bodies and lists dropped so memory stays flat on long runs).
 */
import { defaultConfig, type Config, type PowAlgo } from '../core/config.js';
import type { CoordinatorOptions } from './coordinator.js';

/**
 * Shard target block time of stress runs: with 1 s shard blocks against 10 s root blocks a
 * deposit is applied in the first destination block after its root block in ~90 % of cases
 * (3 s blocks let another root block slip in more often), and smaller blocks keep workers responsive.
 */
export const STRESS_SHARD_BLOCK_TIME = 1;
/**
 * Block gas limit of stress chains (≥ 150 M so a block holds thousands of transfers): 300 M, so
 * its cross-shard half (16,666 deposits) takes a long root interval's deposits in one block.
 */
export const STRESS_GAS_LIMIT = 300_000_000;
/**
 * Headers per shard in one root block: with 1 s shard blocks, the default cap of 32 held back
 * the headers of the long root intervals (4 % of them exceed 32 s at a 10 s mean), a root block of lag.
 */
export const STRESS_ROOT_HEADERS_PER_SHARD = 256;
/** Pool size per shard: a few blocks' worth of transfers. */
export const STRESS_POOL = 100_000;
/**
 * Total transfers per second and core that `--rate max` can reach at most: a confirmed transfer
 * costs at least one sender recovery (~15,000/s per core here, as bench/stress.ts measures) plus
 * its path, so ~11,000/s per core at 1.35 recoveries of CPU; 12,000 with margin. It sizes the
 * pre-signed stock for the run (8,000 ran out on a quiet machine once the path got cheaper, and
 * the generator then signed inside the measured window).
 */
export const MAX_RATE_PER_CORE = 12_000;
/** Pre-signed transfers over all shards at most (~181 bytes each, so ~1.5 GB). */
export const PRESIGN_TOTAL_CAP = 8_000_000;
/** Stock over the expected consumption, so the window never signs as it goes. */
export const PRESIGN_HEADROOM = 1.05;
/** Blocks (and root blocks) of bodies and lists kept behind the confirmed tip in memory. */
export const STRESS_RETAIN_BLOCKS = 32;
/** Sender recoveries timed before the load for the report's `recoverUs`. */
export const RECOVER_SAMPLES = 5_000;
/** How often the first root block is waited for. */
export const ROOT_WAIT_POLL_MS = 100;
/** How often progress and the drain condition are checked. */
export const POLL_MS = 1_000;

export interface StressOptions {
  readonly chains: number;
  readonly shards: number;
  readonly accounts: number;
  readonly xshardPercent: number;
  /** Total transfers per second over all shards; 0 = as fast as the node takes them. */
  readonly rate: number;
  readonly durationSec: number;
  readonly warmupSec: number;
  readonly drainTimeoutSec: number;
  readonly algo: PowAlgo;
  readonly datadir: string | null;
  /** Transfers to pre-sign per shard; undefined = enough for the run (capped). */
  readonly presign?: number;
  /** Measure every thread's live heap (after a full GC) at the window's start, middle and end; needs `node --expose-gc`. */
  readonly liveHeap?: boolean;
  /** CPU µs of one sender recovery, if the caller measured it (else the run measures it before the load). */
  readonly recoverUs?: number;
  /** Invalid transfers injected per shard during the run (tests): stale nonce, no funds, bad signature. */
  readonly injectInvalid?: number;
  /** Target block times in seconds (defaults: the configuration's 10 s root, 3 s shards). */
  readonly rootBlockTime?: number;
  readonly shardBlockTime?: number;
  /** Run every shard on the coordinator's thread (diagnostics: one heap to snapshot; tests). */
  readonly inProcess?: boolean;
  readonly progress?: (p: StressProgress) => void;
  readonly log?: (line: string) => void;
  /** Ends the run early (Ctrl-C): the phase running stops, the window ends now, a short drain, then the report. */
  readonly signal?: AbortSignal;
}

/** The drain after an early stop: long enough for the next root block to confirm what is in flight, short enough to answer Ctrl-C. */
export const STOPPED_DRAIN_SEC = 15;

export interface StressProgress {
  /** `prepare`: pre-signing; `root`: waiting for the first root block; then the load phases. */
  readonly phase: 'prepare' | 'root' | 'warmup' | 'measure' | 'drain';
  readonly elapsedSec: number;
  readonly submitted: number;
  readonly confirmed: number;
  readonly tps: number;
  readonly pendingDeposits: number;
  readonly pool: number;
  readonly rssMB: number;
  /** Pre-signed transfers not yet submitted (while preparing: how far pre-signing got). */
  readonly presigned: number;
  /** Seconds until the measured window ends (load phases), the drain's timeout not counted. */
  readonly leftSec?: number;
}

export function stressConfig(o: Pick<StressOptions, 'chains' | 'shards' | 'accounts' | 'algo' | 'rootBlockTime' | 'shardBlockTime'>): Config {
  const base = defaultConfig({ chains: o.chains, shards: o.shards, algo: o.algo });
  return {
    ...base,
    root: { ...base.root, targetBlockTime: o.rootBlockTime ?? base.root.targetBlockTime },
    chains: base.chains.map((c) => ({ ...c, consensus: { ...c.consensus, targetBlockTime: o.shardBlockTime ?? STRESS_SHARD_BLOCK_TIME } })),
    gasLimit: STRESS_GAS_LIMIT, xshardGasLimit: STRESS_GAS_LIMIT / 2, devAccounts: o.accounts, devSeed: 'shardminer stress accounts',
    txPoolSize: STRESS_POOL, rootMaxHeadersPerShard: STRESS_ROOT_HEADERS_PER_SHARD,
  };
}

/** The coordinator of a stress run: in memory, old bodies and consumed lists are dropped so memory stays flat on long runs. */
export function stressCoordinatorOptions(o: StressOptions): Omit<CoordinatorOptions, 'onFatal' | 'p2p'> {
  return { config: stressConfig(o), datadir: o.datadir, log: o.log, retainBlocks: o.datadir ? undefined : STRESS_RETAIN_BLOCKS, inProcess: o.inProcess };
}
