/** Codes of transactions: keys and signatures, the transaction rules, the pool, account state. */
import type { CodeFamily } from './spec.js';

export const TX_CODES = {
  // Keys and signatures (src/crypto).
  BAD_PRIVATE_KEY: { cls: 'invalid', hint: 'pass a 32-byte key, 0x + 64 hex digits' },
  BAD_PUBLIC_KEY: { cls: 'invalid' },
  BAD_KEY_INDEX: { cls: 'invalid' },
  SIG_BAD_V: { cls: 'invalid' },
  SIG_RANGE: { cls: 'invalid' },
  SIG_HIGH_S: { cls: 'invalid' },
  SIG_RECOVER_FAILED: { cls: 'invalid' },
  /** Our signer produced a recovery id other than 0 or 1. */
  SIG_RECOVERY_ID: { cls: 'internal' },

  // Transaction rules (consensus/applyTx.ts, shardChain.addTx). keepInPool: fails in this block, may pass in a later one.
  TX_WRONG_NETWORK: { cls: 'invalid', hint: 'sign for the network id the node reports (networkInfo)' },
  TX_WRONG_SHARD: { cls: 'invalid' },
  TX_GAS_PRICE_TOO_LOW: { cls: 'invalid', hint: 'raise --gas-price' },
  /** Cross-shard transfers wait for a root reference past genesis. */
  TX_XSHARD_NOT_READY: { cls: 'invalid', keepInPool: true, honestRelay: true, hint: 'wait for the first root block, then retry' },
  TX_INTRINSIC_GAS: { cls: 'invalid', hint: 'raise --gas (21000 in-shard, 30000 cross-shard)' },
  TX_XSHARD_GAS_LIMIT: { cls: 'invalid' },
  /** The block is full; the next one may have room. */
  TX_BLOCK_GAS_EXCEEDED: { cls: 'invalid', keepInPool: true, honestRelay: true },
  /** A gap: an earlier transaction of the sender may come first. */
  TX_BAD_NONCE: { cls: 'invalid', keepInPool: true, honestRelay: true, hint: 'leave --nonce out to use the pending nonce' },
  /** A deposit or an earlier transaction may fund it. */
  TX_INSUFFICIENT_BALANCE: { cls: 'invalid', keepInPool: true, honestRelay: true, hint: "send less, or fund the sender on that shard (see 'shardminer balance')" },

  // The transaction pool (shard/txPool.ts). honestRelay: a relaying peer meets these in good faith.
  TX_DUPLICATE: { cls: 'invalid', honestRelay: true, hint: 'nothing to do' },
  TX_NONCE_TOO_LOW: { cls: 'invalid', honestRelay: true, hint: 'leave --nonce out to use the pending nonce' },
  TX_NONCE_EXISTS: { cls: 'invalid', honestRelay: true, hint: 'leave --nonce out to take the next pending nonce, or raise --gas-price to replace it' },
  TX_POOL_FULL: { cls: 'invalid', honestRelay: true, hint: 'retry once blocks have drained the pool' },
  // Pool limits (shard/poolLimits.ts): a relaying peer meets them in good faith too.
  TX_NONCE_TOO_FAR: { cls: 'invalid', honestRelay: true, hint: 'wait for the sender\'s earlier transfers to be mined, or leave --nonce out' },
  TX_ACCOUNT_QUEUE_FULL: { cls: 'invalid', honestRelay: true, hint: 'send the missing earlier nonces first' },
  TX_QUEUE_FULL: { cls: 'invalid', honestRelay: true, hint: 'send the missing earlier nonces first, or retry later' },
  TX_ACCOUNT_PENDING_FULL: { cls: 'invalid', honestRelay: true, hint: 'retry once blocks have mined some of the sender\'s transfers' },
  BAD_POOL_SIZE: { cls: 'internal' },

  // Account state (consensus/accountTrie.ts).
  BAD_RECIPIENT: { cls: 'invalid' },
  /** A stored account out of range: our bug or a corrupt database. */
  ACCOUNT_RANGE: { cls: 'internal' },
} as const satisfies CodeFamily;
