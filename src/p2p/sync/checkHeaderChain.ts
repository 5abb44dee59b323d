/**
 * The checks every downloaded root header passes before any body is asked for (DESIGN §10),
 * cheapest first: height = previous + 1, hashPrevBlock = the previous header's hash, total
 * difficulty rising, then the target's header rules with the seal (validateRootHeader).
 * Pure apart from the `validateHeader` hook; returns the first fault as data.
 */
import { equalBytes, toHex } from '../../core/bytes.js';
import { ChainError, type ErrorCode } from '../../core/errors.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import { syncFault, type PeerFault } from '../peerFault.js';
import type { SyncTarget } from './syncTarget.js';

/** Header-rule codes that are a bad seal (consensus/seal.ts): fatal for whoever sent the header. */
export const SEAL_CODES: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['BAD_SEAL', 'BAD_MIXHASH']);
/** The header rule a TD lie breaks (TD ≠ parent TD + difficulty). */
const TD_CODE: ErrorCode = 'ROOT_BAD_TOTAL_DIFFICULTY';

export type HeaderCheck =
  | { readonly ok: true }
  | { readonly ok: false; readonly fault: PeerFault; readonly index: number }
  /** The target could not decide (a `notYet` or `internal` error): stop without blame. */
  | { readonly ok: false; readonly error: ChainError; readonly index: number };

/** A header rule's error as a peer fault, or undefined when it is nobody's fault. */
export function headerRuleFault(e: unknown, what: string): PeerFault | undefined {
  const err = ChainError.from(e);
  if (err.cls !== 'invalid') return undefined;
  const code = SEAL_CODES.has(err.code) ? 'P2P_BAD_SEAL' : err.code === TD_CODE ? 'P2P_TD_MISMATCH' : 'P2P_BAD_HEADER';
  return syncFault(code, `${what}: ${err.message}`);
}

const shortHash = (h: RootHeader): string => toHex(rootHeaderHash(h)).slice(0, 18);

/** Linkage, height and TD of `h` on `prev` (no hook). */
export function linkFault(h: RootHeader, prev: RootHeader): PeerFault | undefined {
  if (h.height !== prev.height + 1) {
    return syncFault('P2P_HEADERS_NOT_CONTIGUOUS', `header at height ${h.height} follows height ${prev.height}`);
  }
  if (!equalBytes(h.hashPrevBlock, rootHeaderHash(prev))) {
    return syncFault('P2P_HEADERS_NOT_LINKED', `header ${shortHash(h)} at height ${h.height} does not link to ${shortHash(prev)}`);
  }
  if (h.totalDifficulty <= prev.totalDifficulty) {
    return syncFault('P2P_TD_MISMATCH', `total difficulty ${h.totalDifficulty} at height ${h.height} does not rise above ${prev.totalDifficulty}`);
  }
  return undefined;
}

/**
 * Checks `headers` (oldest first) as the continuation of `prev`; a header `checked` reports as
 * passed before (a previous task's: checkedHeaders.ts) is linked but not put through the rules again.
 */
export function checkHeaderChain(prev: RootHeader, headers: readonly RootHeader[], target: Pick<SyncTarget, 'validateHeader'>, checked: (h: RootHeader) => boolean = () => false): HeaderCheck {
  let parent = prev;
  for (let i = 0; i < headers.length; i++) {
    const h = headers[i]!;
    const link = linkFault(h, parent);
    if (link) return { ok: false, fault: link, index: i };
    try {
      if (!checked(h)) target.validateHeader(h, parent);
    } catch (e) {
      const fault = headerRuleFault(e, `header at height ${h.height}`);
      return fault ? { ok: false, fault, index: i } : { ok: false, error: ChainError.from(e), index: i };
    }
    parent = h;
  }
  return { ok: true };
}
