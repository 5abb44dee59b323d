/** Decoding limits: every list and byte string on the wire has a stated maximum. */

/** Transactions in one minor block: a 300 M gas block (stress) holds ~14,300 transfers; leave headroom. */
export const MAX_TXS_PER_BLOCK = 65_536;
/** Minor headers in one root block: 64 shards × a per-shard cap well above the default 32. */
export const MAX_HEADERS_PER_ROOT_BLOCK = 16_384;
/** Deposits in one cross-shard list: bounded by the transactions of one source block. */
export const MAX_DEPOSITS_PER_LIST = MAX_TXS_PER_BLOCK;
