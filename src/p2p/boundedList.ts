/**
 * Length-prefixed lists (u32 count) with two checks made on the count alone, before any item is
 * read or allocated: the count is within the message's cap, and that many items of at least
 * `minItemBytes` each fit in what is left of the frame. So a forged count costs nothing.
 */
import type { Reader, Writer } from '../core/codec.js';
import { invalid } from '../core/errors.js';
import { checkCount, decodeFail, encodeFail } from './wireChecks.js';

/** How a list is bounded on the wire. */
export interface ListBound {
  /** Most items allowed. */
  readonly max: number;
  /** Fewest bytes one item can take (its fixed part). */
  readonly minItemBytes: number;
  /** What the list holds, for error messages. */
  readonly what: string;
}

/** Reads a list from a frame of `frameLen` bytes; `get` is never called when the count is refused. */
export function readBoundedList<T>(r: Reader, frameLen: number, bound: ListBound, get: (r: Reader) => T): T[] {
  const n = r.u32();
  checkCount(n, bound.max, bound.what, decodeFail);
  const left = frameLen - r.offset;
  if (n * bound.minItemBytes > left) {
    throw invalid('P2P_TRUNCATED', `${bound.what}: ${n} items need at least ${n * bound.minItemBytes} bytes, ${left} left`);
  }
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(get(r));
  return out;
}

/** Writes a list, refusing (as our own bug) one a peer would reject as too long. */
export function writeBoundedList<T>(w: Writer, items: readonly T[], bound: ListBound, put: (w: Writer, item: T) => void): void {
  checkCount(items.length, bound.max, bound.what, encodeFail);
  w.list(items, put);
}
