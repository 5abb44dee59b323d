/**
 * Applies cross-shard deposits to a destination block by the cursor (DESIGN §7 step 4;
 * chain_rules §3.3–§3.5 are normative).
 *
 * The cursor is the last processed position (rootHeight r, minorIndex m, depositIndex d):
 *   (r, 0, 0)  root block r not started;
 *   (r, 0, 1)  root block r's coinbase deposit processed;
 *   (r, m, d)  m ≥ 1: deposit d (0-based) of the m-th minor header (1-based) of r processed.
 * Order: root blocks by height along the chain ending at the block's root reference Rmax; in
 * each, the root coinbase deposit (0 gas), then the minor headers in list order skipping the
 * shard's own and those whose root reference is at or below the genesis root height, then each
 * header's deposits in list order. After each deposit, stop once cross-shard gas used ≥ the
 * limit (so it may overshoot by one deposit). When everything up to Rmax is done, the cursor
 * becomes (Rmax.height + 1, 0, 0).
 */
import { notYet } from '../core/errors.js';
import type { Address } from '../core/address.js';
import type { Bytes } from '../core/bytes.js';
import type { Deposit } from '../core/deposit.js';
import type { MinorHeader, XshardCursor } from '../core/minorBlock.js';
import { GAS_XSHARD_DEPOSIT } from './gas.js';
import type { StateOverlay } from './stateOverlay.js';

/** All shards start at root height 0; headers referencing it cannot carry deposits. */
export const GENESIS_ROOT_HEIGHT = 0;

export interface RootInfo {
  readonly hash: Bytes;
  readonly height: number;
  readonly coinbase: Address;
  readonly coinbaseAmount: bigint;
  readonly minorHeaders: readonly MinorHeader[];
  /** Hashes of `minorHeaders`, same order. */
  readonly minorHashes: readonly Bytes[];
}

export interface DepositContext {
  readonly shardId: number;
  readonly xshardGasLimit: number;
  readonly keyToShard: (key: number) => number;
  /** Root block at `height` on the chain ending at Rmax (heights ≤ maxRootHeight). */
  readonly rootAt: (height: number) => RootInfo;
  readonly maxRootHeight: number;
  /** Height of a root block by hash (a header's root reference). */
  readonly rootHeightOf: (hash: Bytes) => number;
  /** The stored deposit list that a source block sent to this shard; undefined if not received. */
  readonly depositList: (sourceHash: Bytes) => readonly Deposit[] | undefined;
}

export interface AppliedDeposit {
  readonly deposit: Deposit;
  /** Root height whose confirmation released this deposit. */
  readonly rootHeight: number;
  readonly fromRoot: boolean;
  /** The source block's header (null for a root coinbase deposit). */
  readonly source: MinorHeader | null;
}

export interface DepositsResult {
  readonly cursor: XshardCursor;
  readonly gasUsed: number;
  readonly fee: bigint;
  readonly applied: AppliedDeposit[];
}

function rootCoinbaseDeposit(r: RootInfo, ctx: DepositContext): Deposit {
  const ours = ctx.keyToShard(r.coinbase.fullShardKey) === ctx.shardId;
  return { txHash: r.hash, from: r.coinbase, to: r.coinbase, value: ours ? r.coinbaseAmount : 0n, gasPrice: 0n, gasRemaining: 0 };
}

function eligible(h: MinorHeader, ctx: DepositContext): boolean {
  return h.branch !== ctx.shardId && ctx.rootHeightOf(h.hashPrevRootBlock) > GENESIS_ROOT_HEIGHT;
}

function listOf(r: RootInfo, m: number, ctx: DepositContext): readonly Deposit[] {
  const hash = r.minorHashes[m - 1]!;
  const list = ctx.depositList(hash);
  if (list === undefined) throw notYet('XSHARD_LIST_MISSING', `deposit list of source block ${Buffer.from(hash).toString('hex')} not received`);
  return list;
}

/** The position after `c` holding a deposit, or null at the end of root block `c.rootHeight`. */
function nextInRoot(c: XshardCursor, r: RootInfo, ctx: DepositContext): XshardCursor | null {
  if (c.minorIndex === 0 && c.depositIndex === 0) return { rootHeight: c.rootHeight, minorIndex: 0, depositIndex: 1 };
  let m = c.minorIndex;
  let d = c.minorIndex === 0 ? -1 : c.depositIndex;
  if (m === 0) m = 1;
  for (; m <= r.minorHeaders.length; m++, d = -1) {
    if (!eligible(r.minorHeaders[m - 1]!, ctx)) continue;
    if (d + 1 < listOf(r, m, ctx).length) return { rootHeight: c.rootHeight, minorIndex: m, depositIndex: d + 1 };
  }
  return null;
}

export function applyDeposits(state: StateOverlay, start: XshardCursor, ctx: DepositContext): DepositsResult {
  let cursor = start;
  let gasUsed = 0;
  let fee = 0n;
  const applied: AppliedDeposit[] = [];
  while (cursor.rootHeight <= ctx.maxRootHeight) {
    const r = ctx.rootAt(cursor.rootHeight);
    const next = nextInRoot(cursor, r, ctx);
    if (next === null) {
      cursor = { rootHeight: cursor.rootHeight + 1, minorIndex: 0, depositIndex: 0 };
      continue;
    }
    cursor = next;
    const fromRoot = next.minorIndex === 0;
    const d = fromRoot ? rootCoinbaseDeposit(r, ctx) : listOf(r, next.minorIndex, ctx)[next.depositIndex]!;
    if (fromRoot) {
      state.credit(d.to.recipient, d.value);
    } else {
      // The value reaches the recipient; the unused gas is refunded to the sender's recipient here.
      state.credit(d.to.recipient, d.value);
      state.credit(d.from.recipient, BigInt(d.gasRemaining) * d.gasPrice);
      gasUsed += GAS_XSHARD_DEPOSIT;
      fee += BigInt(GAS_XSHARD_DEPOSIT) * d.gasPrice;
    }
    applied.push({ deposit: d, rootHeight: r.height, fromRoot, source: fromRoot ? null : r.minorHeaders[next.minorIndex - 1]! });
    if (gasUsed >= ctx.xshardGasLimit) return { cursor, gasUsed, fee, applied };
  }
  return { cursor, gasUsed, fee, applied };
}
