/**
 * The knobs of root sync, with QuarkChain's values where it has one. Tests shrink the batches
 * to reproduce the reference scenarios (reference/sync.md §3, 41-43).
 */
import { SERVE_ROOT_HEADERS, SERVE_BUNDLE_BYTES, SERVE_SHARD_BLOCKS } from '../limits.js';
import { DEFAULT_SYNC_TIMEOUT_MS } from './boundedRequest.js';

/** QuarkChain's MAX_STALE root height difference: a fork deeper than this below our tip is not followed. */
export const MAX_STALE_ROOT_HEIGHT = 22_500;
/**
 * Root bodies per request. A root block may list up to 64 shards × 32 headers (~0.5 MB), so 16
 * stay well under the 16 MiB frame (goquarkchain asks for 3 "because root blocks are huge"); 16
 * with their minor blocks, 4 batches in flight, keep one peer ahead of the import at 50 ms of
 * one-way latency (8 did not: the import waited on the round trips).
 */
export const ROOT_BODY_BATCH = 16;
/**
 * The first header request of a task asks for this few: checking them (seals included) takes a
 * few ms rather than the tens a full batch takes, so their bodies are asked for that much sooner
 * while the next request brings the rest; 64 root blocks keep the first body requests busy.
 */
export const FIRST_HEADER_BATCH = 64;
/** Checked headers held ahead of the applied bodies: 4 requests' worth, ~0.5 MB, so memory stays bounded on a long catch-up. */
export const HEADER_WINDOW = 4 * SERVE_ROOT_HEADERS;
/** Search requests before giving up: a sampled search shrinks its range ≥ 2× per step, so 22,500 heights need far fewer. */
export const MAX_SEARCH_STEPS = 32;

/**
 * Body batches one peer downloads at once: half the transport's 8 requests in flight
 * (MAX_OUTSTANDING_REQUESTS), leaving room for shard sync, relay and pings.
 */
export const MAX_IN_FLIGHT_PER_PEER = 4;
/**
 * Batches downloaded ahead of the oldest unapplied one: with 16 root blocks a batch and a root block
 * at most ~0.5 MB, ≤ 128 MB held in the worst case (a few MB in practice), and enough to
 * keep 4 peers × 4 requests busy while the shards validate.
 */
export const MAX_BATCHES_AHEAD = 16;
/** Failed downloads of one batch before the task gives up (Lodestar's MAX_BATCH_DOWNLOAD_ATTEMPTS). */
export const MAX_BATCH_ATTEMPTS = 5;

export interface SyncOptions {
  /** Headers per forward request (≤ what a server answers). */
  readonly headerBatch: number;
  /** Headers in a task's first forward request (≤ headerBatch). */
  readonly firstHeaderBatch: number;
  /** Headers per ancestor-search request: the samples of one step (≥ 2). */
  readonly searchSamples: number;
  readonly headerWindow: number;
  readonly bodyBatch: number;
  /** Minor blocks per GET_SHARD_BLOCKS. */
  readonly minorBatch: number;
  /** Bytes of listed shard blocks a root-blocks request asks to have bundled (p2p/rootBundle.ts); 0: none. */
  readonly bundleBytes: number;
  readonly maxStale: number;
  readonly maxSearchSteps: number;
  /** Our own bound on one request, above the transport's (boundedRequest.ts). */
  readonly requestTimeoutMs: number;
  readonly maxInFlightPerPeer: number;
  readonly maxBatchesAhead: number;
  readonly maxBatchAttempts: number;
}

export const DEFAULT_SYNC_OPTIONS: SyncOptions = {
  headerBatch: SERVE_ROOT_HEADERS,
  firstHeaderBatch: FIRST_HEADER_BATCH,
  searchSamples: SERVE_ROOT_HEADERS,
  headerWindow: HEADER_WINDOW,
  bodyBatch: ROOT_BODY_BATCH,
  minorBatch: SERVE_SHARD_BLOCKS,
  bundleBytes: SERVE_BUNDLE_BYTES,
  maxStale: MAX_STALE_ROOT_HEIGHT,
  maxSearchSteps: MAX_SEARCH_STEPS,
  requestTimeoutMs: DEFAULT_SYNC_TIMEOUT_MS,
  maxInFlightPerPeer: MAX_IN_FLIGHT_PER_PEER,
  maxBatchesAhead: MAX_BATCHES_AHEAD,
  maxBatchAttempts: MAX_BATCH_ATTEMPTS,
};
