import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { makeAddress } from '../../../src/core/address.js';
import { bigintToBytes, bytesToBigint, toHex } from '../../../src/core/bytes.js';
import { ChainError } from '../../../src/core/errors.js';
import { decodeTx, encodeTx, txSigningHash, type Transaction, type UnsignedTransaction } from '../../../src/core/transaction.js';
import { keccak256, referenceKeccak256, setKeccak } from '../../../src/core/keccak.js';
import {
  deriveDevKey, isValidPrivateKey, privateKeyToRecipient, recipientFromPublicKey, recoverSender, recoveryCount, SECP256K1_HALF_N,
  SECP256K1_N, signTx,
} from '../../../src/crypto/keys.js';
import { getSecp, nobleBackend } from '../../../src/crypto/secp256k1.js';

const N = bytesToBigint(SECP256K1_N);
/** secp256k1 field prime p = 2^256 − 2^32 − 977. */
const P = (1n << 256n) - (1n << 32n) - 977n;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof ChainError, String(e));
    return e.code;
  }
  return 'NO_ERROR';
}

function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  let x = b % m;
  for (let k = e; k > 0n; k >>= 1n) {
    if (k & 1n) r = (r * x) % m;
    x = (x * x) % m;
  }
  return r;
}

/** The smallest x with no curve point (x³ + 7 is not a square mod p): no key recovers from r = x. */
function smallestNonCurveX(): bigint {
  for (let x = 1n; ; x++) if (modPow(x * x * x + 7n, (P - 1n) / 2n, P) === P - 1n) return x;
}

const unsigned: UnsignedTransaction = {
  nonce: 3, gasPrice: 10n ** 9n, gasLimit: 21_000, to: makeAddress(new Uint8Array(20).fill(0xab), 0x00010002),
  value: 10n ** 18n, networkId: 1337, fromFullShardKey: 0x00010001,
};
const key = deriveDevKey('shardminer-test', 0);
const signed = signTx(unsigned, key);
const sender = privateKeyToRecipient(key);
const b32 = (v: bigint): Uint8Array => bigintToBytes(v, 32);

test('keys: sign → recover round trip gives the signer\'s recipient, also after encode/decode', () => {
  assert.equal(sender.length, 20);
  assert.deepEqual(recoverSender(signed), sender);
  assert.deepEqual(recoverSender(decodeTx(encodeTx(signed))), sender);
  assert.ok(signed.v === 0 || signed.v === 1);
  assert.ok(bytesToBigint(signed.s) <= bytesToBigint(SECP256K1_HALF_N), 'signTx produces low-s');
  for (let i = 1; i < 20; i++) {
    const k = deriveDevKey('shardminer-test', i);
    assert.deepEqual(recoverSender(signTx({ ...unsigned, nonce: i }, k)), privateKeyToRecipient(k), `key ${i}`);
  }
});

test('keys: signTx signs the signing hash and is deterministic', () => {
  const again = signTx(unsigned, key);
  assert.deepEqual(again, signed);
  const sig = nobleBackend.sign(txSigningHash(unsigned), key);
  assert.deepEqual({ v: signed.v, r: signed.r, s: signed.s }, { v: sig.recovery, r: sig.r, s: sig.s });
  const resigned = signTx(signed, deriveDevKey('other', 0));
  assert.notDeepEqual(resigned.r, signed.r, 'signing a signed tx replaces its signature');
  assert.deepEqual(txSigningHash(resigned), txSigningHash(signed));
});

test('keys: SIG_BAD_V for any v other than 0 and 1', () => {
  for (const v of [2, 3, 27, 28, 255]) assert.equal(codeOf(() => recoverSender({ ...signed, v })), 'SIG_BAD_V', `v = ${v}`);
});

test('keys: SIG_RANGE for r or s equal to 0 or at least n', () => {
  const cases: [string, Partial<Transaction>][] = [
    ['r = 0', { r: new Uint8Array(32) }], ['s = 0', { s: new Uint8Array(32) }],
    ['r = n', { r: SECP256K1_N }], ['s = n', { s: SECP256K1_N }],
    ['r = n + 1', { r: b32(N + 1n) }], ['s = 2^256 − 1', { s: new Uint8Array(32).fill(0xff) }],
    ['31-byte r', { r: signed.r.subarray(1) }],
  ];
  for (const [what, over] of cases) assert.equal(codeOf(() => recoverSender({ ...signed, ...over })), 'SIG_RANGE', what);
  assert.equal(codeOf(() => recoverSender({ ...signed, v: 5, r: new Uint8Array(32) })), 'SIG_BAD_V', 'v is checked first');
});

test('keys: SIG_HIGH_S for the malleated twin (n − s, flipped v) that raw ECDSA accepts', () => {
  const twinS = b32(N - bytesToBigint(signed.s));
  const twinV = 1 - signed.v;
  const raw = getSecp().recover(txSigningHash(signed), signed.r, twinS, twinV);
  assert.ok(raw !== null);
  assert.deepEqual(recipientFromPublicKey(raw), sender, 'the twin is a valid raw ECDSA signature by the same key');
  assert.equal(codeOf(() => recoverSender({ ...signed, v: twinV, s: twinS })), 'SIG_HIGH_S');
  assert.equal(codeOf(() => recoverSender({ ...signed, s: b32(N / 2n + 1n) })), 'SIG_HIGH_S', 'just above n/2');
  assert.notEqual(codeOf(() => recoverSender({ ...signed, s: SECP256K1_HALF_N })), 'SIG_HIGH_S', 's = n/2 exactly is low');
});

test('keys: SIG_RECOVER_FAILED when r is not the x of any curve point', () => {
  const x = smallestNonCurveX();
  assert.ok(x < 10n, `found ${x}`);
  for (const v of [0, 1]) assert.equal(codeOf(() => recoverSender({ ...signed, v, r: b32(x) })), 'SIG_RECOVER_FAILED');
  assert.equal(nobleBackend.recover(txSigningHash(signed), b32(x), signed.s, 0), null, 'noble agrees');
});

test('keys: a tampered message or signature recovers a different sender', () => {
  for (const over of [{ value: signed.value + 1n }, { to: makeAddress(new Uint8Array(20), 0) }, { networkId: 1 }, { nonce: 4 }]) {
    const other = recoverSender({ ...signed, ...over });
    assert.equal(other.length, 20);
    assert.notDeepEqual(other, sender, JSON.stringify(Object.keys(over)));
  }
  assert.notDeepEqual(recoverSender({ ...signed, v: 1 - signed.v }), sender, 'flipped v alone');
});

test('keys: recoverSender is memoised per object and failures are not cached', () => {
  const tx = signTx(unsigned, key);
  assert.equal(recoverSender(tx), recoverSender(tx));
  const bad = { ...signed, v: 9 };
  assert.equal(codeOf(() => recoverSender(bad)), 'SIG_BAD_V');
  assert.equal(codeOf(() => recoverSender(bad)), 'SIG_BAD_V');
});

test('keys: recipient is the last 20 bytes of keccak256(public key)', () => {
  const pub = getSecp().publicKey(key);
  assert.deepEqual(recipientFromPublicKey(pub), keccak_256(pub).slice(12));
  assert.equal(codeOf(() => recipientFromPublicKey(new Uint8Array(65))), 'BAD_PUBLIC_KEY');
  assert.equal(codeOf(() => recipientFromPublicKey(new Uint8Array(33))), 'BAD_PUBLIC_KEY');
});

test('keys: invalid private keys are BAD_PRIVATE_KEY', () => {
  const bad = [new Uint8Array(32), SECP256K1_N, new Uint8Array(32).fill(0xff), new Uint8Array(31).fill(1)];
  for (const k of bad) {
    assert.equal(isValidPrivateKey(k), false);
    assert.equal(codeOf(() => privateKeyToRecipient(k)), 'BAD_PRIVATE_KEY');
    assert.equal(codeOf(() => signTx(unsigned, k)), 'BAD_PRIVATE_KEY');
  }
  assert.equal(isValidPrivateKey(b32(N - 1n)), true);
  assert.equal(isValidPrivateKey(b32(1n)), true);
});

test('keys: deriveDevKey is keccak256(utf8(seed) ‖ u32be(index)), deterministic and distinct', () => {
  const expected = keccak_256(Uint8Array.from([...new TextEncoder().encode('seed'), 0, 0, 1, 2]));
  assert.deepEqual(deriveDevKey('seed', 0x0102), expected);
  assert.deepEqual(deriveDevKey('seed', 0x0102), deriveDevKey('seed', 0x0102));
  const keys = new Set<string>();
  for (const s of ['seed', 'seed2', '']) for (let i = 0; i < 5; i++) keys.add(toHex(deriveDevKey(s, i)));
  assert.equal(keys.size, 15);
  assert.equal(codeOf(() => deriveDevKey('seed', -1)), 'BAD_KEY_INDEX');
  assert.equal(codeOf(() => deriveDevKey('seed', 2 ** 32)), 'BAD_KEY_INDEX');
});

test('keys: deriveDevKey rehashes until the key is valid', () => {
  const seedLen = 'seed'.length + 4;
  // First hash 0 (invalid), then n (invalid), then the reference: the result is keccak(n).
  const fake = (d: Uint8Array): Uint8Array => {
    if (d.length === seedLen) return new Uint8Array(32);
    if (d.every((x) => x === 0)) return SECP256K1_N.slice();
    return referenceKeccak256(d);
  };
  try {
    setKeccak(fake);
    assert.deepEqual(deriveDevKey('seed', 7), referenceKeccak256(SECP256K1_N));
  } finally {
    setKeccak(referenceKeccak256);
  }
  assert.deepEqual(keccak256(new Uint8Array(0)), referenceKeccak256(new Uint8Array(0)));
});

test('recoveryCount counts the recoveries run, not the memoised answers', () => {
  const key = deriveDevKey('count', 0);
  const tx = signTx({ nonce: 0, gasPrice: 1n, gasLimit: 21_000, to: { recipient: new Uint8Array(20), fullShardKey: 0 }, value: 1n, networkId: 3, fromFullShardKey: 0 }, key);
  const before = recoveryCount();
  recoverSender(tx);
  recoverSender(tx);
  recoverSender({ ...tx });
  assert.equal(recoveryCount() - before, 2);
});
