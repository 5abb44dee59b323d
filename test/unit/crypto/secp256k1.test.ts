import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToBigint, toHex } from '../../../src/core/bytes.js';
import { recipientFromPublicKey, SECP256K1_HALF_N, SECP256K1_N } from '../../../src/crypto/keys.js';
import {
  BACKEND_ENV, chooseBackend, getSecp, nativeBackend, nobleBackend, secpBackendName, type Secp256k1Backend,
} from '../../../src/crypto/secp256k1.js';

const native = nativeBackend();
const skipNative = native === null ? 'native secp256k1 binding unavailable on this platform' : false;
const backends: Secp256k1Backend[] = native === null ? [nobleBackend] : [native, nobleBackend];
const N = bytesToBigint(SECP256K1_N);
const HALF_N = bytesToBigint(SECP256K1_HALF_N);
const MODULE_URL = new URL('../../../src/crypto/secp256k1.js', import.meta.url).href;

const keyOne = (): Uint8Array => { const k = new Uint8Array(32); k[31] = 1; return k; };
/** The generator G: the public key of private key 1. */
const G = '0x79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798' +
  '483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8';

function randomKey(): Uint8Array {
  for (;;) {
    const k = randomBytes(32);
    const v = bytesToBigint(k);
    if (v > 0n && v < N) return new Uint8Array(k);
  }
}

test('secp256k1: constants are n and floor(n / 2)', () => {
  assert.equal(N, 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n);
  assert.equal(HALF_N, N / 2n);
});

for (const be of backends) {
  test(`secp256k1 ${be.name}: private key 1 → G → Ethereum recipient 0x7e5f…5bdf`, () => {
    const pub = be.publicKey(keyOne());
    assert.equal(pub.length, 64);
    assert.equal(toHex(pub), G.toLowerCase());
    assert.equal(toHex(recipientFromPublicKey(pub)), '0x7e5f4552091a69125d5dfcb7b8c2659029395bdf');
  });

  test(`secp256k1 ${be.name}: RFC 6979 vector (key 1, sha256("Satoshi Nakamoto")), low-s`, () => {
    const msg = sha256(new TextEncoder().encode('Satoshi Nakamoto'));
    const sig = be.sign(msg, keyOne());
    assert.equal(toHex(sig.r), '0x934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d8');
    assert.equal(toHex(sig.s), '0x2442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5');
    assert.deepEqual(be.recover(msg, sig.r, sig.s, sig.recovery), be.publicKey(keyOne()));
  });

  test(`secp256k1 ${be.name}: recover rejects malformed signatures with null`, () => {
    const msg = sha256(new Uint8Array([1]));
    const sig = be.sign(msg, keyOne());
    const zero = new Uint8Array(32);
    assert.equal(be.recover(msg, zero, sig.s, sig.recovery), null, 'r = 0');
    assert.equal(be.recover(msg, sig.r, zero, sig.recovery), null, 's = 0');
    assert.equal(be.recover(msg, SECP256K1_N, sig.s, sig.recovery), null, 'r = n');
    assert.equal(be.recover(msg, sig.r, new Uint8Array(32).fill(0xff), sig.recovery), null, 's ≥ n');
    assert.equal(be.recover(msg, sig.r.subarray(1), sig.s, sig.recovery), null, 'short r');
    assert.equal(be.recover(msg, sig.r, sig.s, 2), null, 'recovery id 2');
    assert.notEqual(be.recover(msg, sig.r, sig.s, 1 - sig.recovery), null, 'the other parity still yields a key…');
    assert.notDeepEqual(be.recover(msg, sig.r, sig.s, 1 - sig.recovery), be.publicKey(keyOne()), '…but not the signer');
  });
}

test('secp256k1: native and noble agree on 50 random keys and messages', { skip: skipNative }, () => {
  const nat = native!;
  for (let i = 0; i < 50; i++) {
    const key = randomKey();
    const msg = new Uint8Array(randomBytes(32));
    const pub = nat.publicKey(key);
    assert.deepEqual(nobleBackend.publicKey(key), pub);
    const a = nat.sign(msg, key);
    const b = nobleBackend.sign(msg, key);
    assert.deepEqual(b, a, 'RFC 6979 makes both deterministic and identical');
    assert.ok(bytesToBigint(a.s) <= HALF_N, 'low-s');
    assert.ok(a.recovery === 0 || a.recovery === 1);
    assert.deepEqual(nat.recover(msg, a.r, a.s, a.recovery), pub);
    assert.deepEqual(nobleBackend.recover(msg, a.r, a.s, a.recovery), pub);
    const highS = new Uint8Array(32);
    const sHigh = N - bytesToBigint(a.s);
    for (let j = 0; j < 32; j++) highS[j] = Number((sHigh >> BigInt(8 * (31 - j))) & 0xffn);
    assert.deepEqual(nat.recover(msg, a.r, highS, 1 - a.recovery), nobleBackend.recover(msg, a.r, highS, 1 - a.recovery),
      'both recover the malleated (high-s) form the same way');
  }
});

test('secp256k1: noble signatures are low-s even where raw ECDSA gives high s', () => {
  let sawRecoveryOne = false;
  for (let i = 0; i < 40; i++) {
    const sig = nobleBackend.sign(sha256(Uint8Array.of(i)), keyOne());
    assert.ok(bytesToBigint(sig.s) <= HALF_N, `message ${i}`);
    if (sig.recovery === 1) sawRecoveryOne = true;
  }
  assert.ok(sawRecoveryOne, 'both recovery ids occur (normalising s flips the parity about half the time)');
});

test('secp256k1: chooseBackend forces noble, prefers native, falls back with one warning', () => {
  const failing = (): { error: string } => ({ error: 'no prebuild for this platform' });
  const ok = (): { backend: Secp256k1Backend } => ({ backend: { ...nobleBackend, name: 'native' } });
  assert.deepEqual(chooseBackend('noble', () => assert.fail('must not load native when forced')), { backend: nobleBackend });
  assert.equal(chooseBackend(undefined, ok).backend.name, 'native');
  assert.equal(chooseBackend('native', ok).backend.name, 'native');
  assert.equal(chooseBackend(undefined, ok).warning, undefined);
  const fb = chooseBackend(undefined, failing);
  assert.equal(fb.backend, nobleBackend);
  assert.equal(fb.warning, 'shardminer: native secp256k1 unavailable (no prebuild for this platform); using pure-JS @noble/curves (~20x slower)');
});

test('secp256k1: getSecp picks native here unless forced, and is stable', { skip: skipNative }, () => {
  if (process.env[BACKEND_ENV] === 'noble') return;
  assert.equal(secpBackendName(), 'native');
  assert.equal(getSecp(), getSecp());
});

function childBackend(env: NodeJS.ProcessEnv): { out: string; err: string } {
  const script = `import { secpBackendName } from ${JSON.stringify(MODULE_URL)}; process.stdout.write(secpBackendName());`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env, encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) });
  assert.equal(r.status, 0, r.stderr);
  return { out: r.stdout, err: r.stderr };
}

test(`secp256k1: ${BACKEND_ENV}=noble selects the fallback in a fresh process, silently`, () => {
  const forced = childBackend({ ...process.env, [BACKEND_ENV]: 'noble' });
  assert.equal(forced.out, 'noble');
  assert.equal(forced.err, '');
});

test('secp256k1: without the env var a fresh process picks native', { skip: skipNative }, () => {
  const env = { ...process.env };
  delete env[BACKEND_ENV];
  const auto = childBackend(env);
  assert.equal(auto.out, 'native');
  assert.equal(auto.err, '');
});
