/**
 * Keys, recipients and transaction signatures (DESIGN §3, §4).
 * Recipient = last 20 bytes of keccak256(64-byte public key). A transaction's sender is
 * recovered from (v, r, s) over its signing hash; only low-s signatures with r, s in range
 * are accepted, so every transaction has exactly one valid signature per key.
 *
 * `recoverSender` is the hot path of the stress test: the checks compare bytes, not bigints.
 */
import { compareBytes, fromHex, type Bytes } from '../core/bytes.js';
import { invalid } from '../core/errors.js';
import { RECIPIENT_LEN } from '../core/address.js';
import { assembleSigned, encodeUnsignedTx, peekTxCache, txCache, txSigningHash, type Transaction, type UnsignedTransaction } from '../core/transaction.js';
import { keccak256 } from '../core/keccak.js';
import { getSecp } from './secp256k1.js';

const SCALAR_LEN = 32;
/** secp256k1 group order n. */
export const SECP256K1_N: Bytes = fromHex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141');
/** floor(n / 2): the largest s a low-s signature may carry. */
export const SECP256K1_HALF_N: Bytes = fromHex('7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0');
/** keccak256 gives 32 bytes; the recipient is its last 20. */
const RECIPIENT_OFFSET = 32 - RECIPIENT_LEN;

function isZero(b: Bytes): boolean {
  for (let i = 0; i < b.length; i++) if (b[i] !== 0) return false;
  return true;
}

/** A valid scalar in [1, n − 1], given as 32 big-endian bytes. */
function inScalarRange(b: Bytes): boolean {
  return b.length === SCALAR_LEN && !isZero(b) && compareBytes(b, SECP256K1_N) < 0;
}

export function isValidPrivateKey(priv: Bytes): boolean {
  return inScalarRange(priv);
}

function checkPrivateKey(priv: Bytes): void {
  if (!isValidPrivateKey(priv)) throw invalid('BAD_PRIVATE_KEY', 'private key must be 32 bytes in [1, n − 1]');
}

export function recipientFromPublicKey(pub64: Bytes): Bytes {
  if (pub64.length !== 2 * SCALAR_LEN) throw invalid('BAD_PUBLIC_KEY', `public key must be 64 bytes, got ${pub64.length}`);
  return keccak256(pub64).slice(RECIPIENT_OFFSET);
}

export function privateKeyToRecipient(priv: Bytes): Bytes {
  checkPrivateKey(priv);
  return recipientFromPublicKey(getSecp().publicKey(priv));
}

/** Deterministic dev key: keccak256(utf8(seed) ‖ u32be(index)), rehashed until it is a valid key. */
export function deriveDevKey(seed: string, index: number): Bytes {
  if (!Number.isInteger(index) || index < 0 || index > 0xffffffff) throw invalid('BAD_KEY_INDEX', `dev key index ${index} is not a u32`);
  const s = new TextEncoder().encode(seed);
  const input = new Uint8Array(s.length + 4);
  input.set(s, 0);
  new DataView(input.buffer).setUint32(s.length, index);
  let k = keccak256(input);
  while (!isValidPrivateKey(k)) k = keccak256(k);
  return k;
}

export function signTx(tx: UnsignedTransaction, priv: Bytes): Transaction {
  checkPrivateKey(priv);
  const unsigned: UnsignedTransaction = {
    nonce: tx.nonce, gasPrice: tx.gasPrice, gasLimit: tx.gasLimit, to: tx.to, value: tx.value,
    networkId: tx.networkId, fromFullShardKey: tx.fromFullShardKey,
  };
  const bytes = encodeUnsignedTx(unsigned);
  const hash = keccak256(bytes);
  const sig = getSecp().sign(hash, priv);
  return assembleSigned(unsigned, bytes, hash, sig.recovery, sig.r, sig.s);
}

/** Sender recoveries this thread has run (successful or not): `recoveriesPerTx` of the stress report. */
let recoveries = 0;

export function recoveryCount(): number {
  return recoveries;
}

function recover(tx: Transaction): Bytes {
  recoveries++;
  if (tx.v !== 0 && tx.v !== 1) throw invalid('SIG_BAD_V', `v must be 0 or 1, got ${tx.v}`);
  if (!inScalarRange(tx.r) || !inScalarRange(tx.s)) throw invalid('SIG_RANGE', 'r and s must be in [1, n − 1]');
  if (compareBytes(tx.s, SECP256K1_HALF_N) > 0) throw invalid('SIG_HIGH_S', 's must be at most n / 2');
  const pub = getSecp().recover(txSigningHash(tx), tx.r, tx.s, tx.v);
  if (pub === null) throw invalid('SIG_RECOVER_FAILED', 'no public key recovers from this signature');
  return recipientFromPublicKey(pub);
}

/**
 * The 20-byte recipient that signed `tx`. Checks, in order: SIG_BAD_V, SIG_RANGE, SIG_HIGH_S,
 * SIG_RECOVER_FAILED. Memoised per transaction object (in its cache, core/transaction.ts: a tx
 * is checked by the pool and again in its block); failures are not cached and throw again.
 */
export function recoverSender(tx: Transaction): Bytes {
  const known = peekTxCache(tx)?.sender;
  if (known !== undefined) return known;
  // The signature's checks come before any encoding (a malformed r or s is SIG_RANGE, not a codec error).
  const sender = recover(tx);
  const c = txCache(tx);
  c.sender = sender;
  // Needed only to recover the sender: a pooled transfer need not keep it (recomputed if asked).
  c.signingHash = undefined;
  return sender;
}
