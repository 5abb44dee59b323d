/**
 * The transaction pool's limits (issue "hostile load" item 1; go-ethereum's legacy pool is the
 * model). A transfer is "executable" (pending) when its nonce continues its sender's account
 * nonce without a gap through the pool, "future" (queued) otherwise. Each limit is named here
 * with its reason; `getStats` reports them. Local transfers (this node's own generators:
 * `stress`, `createTransactions`, `--tx-rate`, and transfers of orphaned blocks coming back) are
 * exempt from the per-account, queue and gap limits, as go-ethereum exempts its locals; the
 * global size limit and eviction still apply to them.
 */

/** Future transfers one account may hold (go-ethereum's AccountQueue default). */
export const ACCOUNT_QUEUE = 64;
/** Future transfers in the whole pool: a gap costs memory, so strangers' futures get a small share (go-ethereum: 1,024 of 5,120 slots). */
export const GLOBAL_QUEUE = 4_096;
/** Executable transfers one account may hold: ~7 full blocks of 21,000-gas transfers (12 M gas each), more than any honest sender has in flight. */
export const ACCOUNT_PENDING = 4_096;
/** How far past its sender's next executable nonce a transfer may be: room for a queue's worth of futures spread out, no more. */
export const MAX_NONCE_GAP = 4 * ACCOUNT_QUEUE;
/** A same-nonce replacement must raise the gas price by this share (go-ethereum's PriceBump), so replacing is never free spam. */
export const PRICE_BUMP_PERCENT = 10n;
/** A future transfer that has not become executable in this time leaves the pool: its gap is not going to fill (go-ethereum: 3 h; a local devnet moves faster). */
export const QUEUED_LIFETIME_SEC = 600;
/** How often block building looks for expired future transfers. */
export const EXPIRY_SCAN_SEC = 10;

/** The limits as `getStats` reports them. */
export function poolLimits(maxSize: number): Record<string, number> {
  return {
    size: maxSize, accountQueue: ACCOUNT_QUEUE, globalQueue: GLOBAL_QUEUE, accountPending: ACCOUNT_PENDING,
    maxNonceGap: MAX_NONCE_GAP, priceBumpPercent: Number(PRICE_BUMP_PERCENT), queuedLifetimeSec: QUEUED_LIFETIME_SEC,
  };
}
