/**
 * The local side of root sync: what the coordinator provides (DESIGN §10). Lookups are
 * synchronous (the root index is in the main thread); adding is async and may go to shard
 * workers. A hook that refuses something throws a ChainError: `invalid` (the block is bad: the
 * peer that served it is penalised), `notYet` (cannot be decided now: sync stops, no penalty) or
 * `internal` (our failure: sync stops, no penalty).
 */
import type { Bytes } from '../../core/bytes.js';
import type { ConsensusParams } from '../../core/config.js';
import type { MinorBlock } from '../../core/minorBlock.js';
import type { RootBlock, RootHeader } from '../../core/rootBlock.js';
import { checkSeal } from '../../consensus/seal.js';
import { validateRootHeader } from '../../consensus/validateRootBlock.js';
import { rootSealHash } from '../../core/rootBlock.js';

/** Our root tip as fork choice sees it. */
export interface LocalRootTip {
  readonly hash: Bytes;
  readonly height: number;
  readonly td: bigint;
}

export interface SyncTarget {
  rootTip(): LocalRootTip;
  /** True for any root block we store, canonical or not. */
  hasRootBlock(hash: Bytes): boolean;
  /** The header of a root block we store (headers stay known when bodies are pruned). */
  rootHeader(hash: Bytes): RootHeader | undefined;
  /** The seal alone (no parent needed): used on an announced tip before anything is downloaded. */
  checkSeal(h: RootHeader): void;
  /** Every header rule given the parent, seal included (validateRootHeader with skipSeal = false). */
  validateHeader(h: RootHeader, parent: RootHeader): void;
  /** True when the minor block is stored and committed by its shard (the root chain may list it). */
  hasMinorBlock(hash: Bytes): boolean;
  /** Validates and adds minor blocks of one shard, oldest first, and reports them committed. */
  addMinorBlocks(shard: number, blocks: readonly MinorBlock[]): Promise<void>;
  /** Validates and adds a root block whose minor blocks were added; fork choice decides the tip. */
  addRootBlock(rb: RootBlock): Promise<void>;
}

/** `checkSeal` and `validateHeader` for the root chain's consensus parameters and clock. */
export function rootHeaderRules(consensus: ConsensusParams, nowSec: () => number): Pick<SyncTarget, 'checkSeal' | 'validateHeader'> {
  return {
    checkSeal: (h) => checkSeal(consensus.algo, { sealHash: rootSealHash(h), nonce: h.nonce, mixhash: h.mixhash, difficulty: h.difficulty, height: h.height }),
    validateHeader: (h, parent) => validateRootHeader(h, parent, { consensus, nowSec: nowSec(), skipSeal: false }),
  };
}
