/**
 * applyTx (DESIGN §6; chain_rules §2.5): one test per rule from a valid signed in-shard and a
 * valid cross-shard transfer, each changed in exactly one field (or one context value), with
 * the boundary that still passes; every rejection leaves the state overlay exactly as it was;
 * and the order of the rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, type Bytes } from '../../../src/core/bytes.js';
import { keyToFullShardId } from '../../../src/core/branch.js';
import { defaultConfig, shardSizeOf } from '../../../src/core/config.js';
import { txHash, type Transaction, type UnsignedTransaction } from '../../../src/core/transaction.js';
import { deriveDevKey, privateKeyToRecipient, recoverSender, signTx } from '../../../src/crypto/keys.js';
import { AccountTrie } from '../../../src/consensus/accountTrie.js';
import { applyTx, type TxContext } from '../../../src/consensus/applyTx.js';
import { StateOverlay } from '../../../src/consensus/stateOverlay.js';
import { expectCode } from '../../utils/blockEdit.js';

const cfg = defaultConfig({ shards: 4 }); // one chain of 4 shards: keys map by key & 3 to 0x4..0x7
const S4 = 0x4;
const GAS_LEFT = 1_000_000;
const BALANCE = 10_000_000n;
const PRICE = 10n;
const key = deriveDevKey('applyTx test', 0);
const SENDER = privateKeyToRecipient(key);
const rcp = (n: number): Bytes => { const b = new Uint8Array(20); b[19] = n; return b; };
const TO = rcp(7);

const ctx: TxContext = {
  networkId: cfg.networkId, shardId: S4, xshardGasLimit: cfg.xshardGasLimit, minGasPrice: 1n,
  keyToShard: (k) => keyToFullShardId(k, shardSizeOf(cfg)), xshardEnabled: true,
};

const base: UnsignedTransaction = {
  nonce: 2, gasPrice: PRICE, gasLimit: 21_000, to: { recipient: TO, fullShardKey: 0 }, value: 1000n, networkId: cfg.networkId, fromFullShardKey: 0,
};
/** Cross-shard 0x4 → 0x5 (to key 1), gas limit 40,000. */
const xbase: UnsignedTransaction = { ...base, gasLimit: 40_000, to: { recipient: TO, fullShardKey: 1 } };

const sign = (o: Partial<UnsignedTransaction> = {}, from: UnsignedTransaction = base): Transaction => signTx({ ...from, ...o }, key);

function freshState(balance = BALANCE): StateOverlay {
  return new StateOverlay(AccountTrie.empty().update([[SENDER, { balance, nonce: 2 }], [TO, { balance: 5n, nonce: 0 }]]));
}

function snapshot(st: StateOverlay): string {
  const d = st.diff().map((c) => `${keyOf(c.recipient)}=${c.account.balance}/${c.account.nonce}`).sort();
  return [...d, `S=${st.get(SENDER).balance}/${st.get(SENDER).nonce}`, `T=${st.get(TO).balance}/${st.get(TO).nonce}`].join(',');
}

function apply(st: StateOverlay, tx: Transaction, gasLeft = GAS_LEFT, c: TxContext = ctx): ReturnType<typeof applyTx> {
  return applyTx(st, tx, recoverSender(tx), txHash(tx), gasLeft, c);
}

/** Asserts the code and class, and that the overlay (diff and accounts) did not change. */
function rejects(tx: Transaction, code: string, o: { gasLeft?: number; ctx?: TxContext; st?: StateOverlay } = {}): void {
  const st = o.st ?? freshState();
  const before = snapshot(st);
  expectCode(() => apply(st, tx, o.gasLeft, o.ctx), code, 'invalid');
  assert.equal(snapshot(st), before, `${code} must leave the state overlay unchanged`);
}

test('applyTx: a valid in-shard transfer debits value + 21,000·price, credits the value, bumps the nonce', () => {
  const st = freshState();
  const r = apply(st, sign());
  assert.deepEqual({ gasUsed: r.gasUsed, fee: r.fee, deposit: r.deposit }, { gasUsed: 21_000, fee: 21_000n * PRICE, deposit: null });
  assert.deepEqual(st.get(SENDER), { balance: BALANCE - 1000n - 21_000n * PRICE, nonce: 3 });
  assert.deepEqual(st.get(TO), { balance: 1005n, nonce: 0 });
});

test('applyTx: a valid cross-shard transfer charges the whole gas limit and emits the deposit', () => {
  const st = freshState();
  const tx = sign({}, xbase);
  const r = apply(st, tx);
  assert.equal(r.gasUsed, 21_000);
  assert.equal(r.fee, 21_000n * PRICE);
  assert.ok(r.deposit);
  assert.equal(r.deposit.toShard, 0x5);
  assert.deepEqual(r.deposit.deposit, {
    txHash: txHash(tx), from: { recipient: SENDER, fullShardKey: 0 }, to: xbase.to, value: 1000n, gasPrice: PRICE, gasRemaining: 10_000,
  });
  assert.deepEqual(st.get(SENDER), { balance: BALANCE - 1000n - 40_000n * PRICE, nonce: 3 });
  assert.deepEqual(st.get(TO), { balance: 5n, nonce: 0 }, 'nothing is credited in the source shard');
});

test('TX_WRONG_NETWORK', () => {
  rejects(sign({ networkId: cfg.networkId + 1 }), 'TX_WRONG_NETWORK');
});

test('TX_WRONG_SHARD: the sender key belongs to another shard', () => {
  rejects(sign({ fromFullShardKey: 1 }), 'TX_WRONG_SHARD');
  apply(freshState(), sign({ fromFullShardKey: 4 })); // key 4 & 3 = 0: still this shard
});

test('UNKNOWN_CHAIN: a key naming a chain that does not exist (from or to)', () => {
  rejects(sign({ fromFullShardKey: 0x10000 }), 'UNKNOWN_CHAIN');
  rejects(sign({ to: { recipient: TO, fullShardKey: 0x10000 } }), 'UNKNOWN_CHAIN');
});

test('TX_GAS_PRICE_TOO_LOW: below the minimum; the minimum itself passes', () => {
  rejects(sign({ gasPrice: 0n }), 'TX_GAS_PRICE_TOO_LOW');
  rejects(sign({ gasPrice: 9n }), 'TX_GAS_PRICE_TOO_LOW', { ctx: { ...ctx, minGasPrice: 10n } });
  apply(freshState(), sign(), GAS_LEFT, { ...ctx, minGasPrice: PRICE });
});

test('TX_XSHARD_NOT_READY: cross-shard before the root chain is past genesis (in-shard still works)', () => {
  const off = { ...ctx, xshardEnabled: false };
  rejects(sign({}, xbase), 'TX_XSHARD_NOT_READY', { ctx: off });
  apply(freshState(), sign(), GAS_LEFT, off);
});

test('TX_INTRINSIC_GAS: in-shard below 21,000, cross-shard below 30,000 (each boundary passes)', () => {
  rejects(sign({ gasLimit: 20_999 }), 'TX_INTRINSIC_GAS');
  apply(freshState(), sign({ gasLimit: 21_000 }));
  rejects(sign({ gasLimit: 29_999 }, xbase), 'TX_INTRINSIC_GAS');
  rejects(sign({ gasLimit: 21_000 }, xbase), 'TX_INTRINSIC_GAS');
  apply(freshState(), sign({ gasLimit: 30_000 }, xbase));
});

test('TX_XSHARD_GAS_LIMIT: a cross-shard gas limit above the cross-shard gas limit', () => {
  const st = freshState(10n ** 18n);
  rejects(sign({ gasLimit: cfg.xshardGasLimit + 1 }, xbase), 'TX_XSHARD_GAS_LIMIT', { st, gasLeft: cfg.gasLimit });
  apply(st, sign({ gasLimit: cfg.xshardGasLimit }, xbase), cfg.gasLimit);
  // The cap is for cross-shard transfers only.
  apply(freshState(10n ** 18n), sign({ gasLimit: cfg.xshardGasLimit + 1 }), cfg.gasLimit);
});

test("TX_BLOCK_GAS_EXCEEDED: the gas limit above the block's remaining gas (equal passes)", () => {
  rejects(sign(), 'TX_BLOCK_GAS_EXCEEDED', { gasLeft: 20_999 });
  apply(freshState(), sign(), 21_000);
  rejects(sign({}, xbase), 'TX_BLOCK_GAS_EXCEEDED', { gasLeft: 39_999 });
  apply(freshState(), sign({}, xbase), 40_000);
});

test('TX_BAD_NONCE: below or above the account nonce', () => {
  rejects(sign({ nonce: 1 }), 'TX_BAD_NONCE');
  rejects(sign({ nonce: 3 }), 'TX_BAD_NONCE');
  rejects(sign({ nonce: 3 }, xbase), 'TX_BAD_NONCE');
});

test('TX_INSUFFICIENT_BALANCE: value + gasLimit·gasPrice above the balance (exactly the balance passes)', () => {
  const upfront = 1000n + 21_000n * PRICE;
  rejects(sign(), 'TX_INSUFFICIENT_BALANCE', { st: freshState(upfront - 1n) });
  const st = freshState(upfront);
  apply(st, sign());
  assert.equal(st.get(SENDER).balance, 0n);
  // Cross-shard: the whole gas limit is charged up front.
  const xUpfront = 1000n + 40_000n * PRICE;
  rejects(sign({}, xbase), 'TX_INSUFFICIENT_BALANCE', { st: freshState(xUpfront - 1n) });
  apply(freshState(xUpfront), sign({}, xbase));
  // In-shard too: the check is on the gas limit, not on the 21,000 actually used.
  rejects(sign({ gasLimit: 21_001 }), 'TX_INSUFFICIENT_BALANCE', { st: freshState(upfront) });
});

test('a rejected tx after accepted ones leaves the earlier changes intact and adds none', () => {
  const st = freshState();
  apply(st, sign());
  apply(st, sign({ nonce: 3 }, xbase));
  const before = snapshot(st);
  for (const [tx, code] of [[sign({ nonce: 3 }), 'TX_BAD_NONCE'], [sign({ nonce: 4, value: BALANCE }), 'TX_INSUFFICIENT_BALANCE']] as const) {
    expectCode(() => apply(st, tx), code, 'invalid');
    assert.equal(snapshot(st), before);
  }
  assert.equal(st.get(SENDER).nonce, 4);
});

test('order: network → shard → gas price → cross-shard ready → intrinsic gas → cross-shard limit → block gas → nonce → balance', () => {
  interface Step { code: string; tx?: Partial<UnsignedTransaction>; ctx?: Partial<TxContext>; gasLeft?: number }
  const steps: Step[] = [
    { code: 'TX_WRONG_NETWORK', tx: { networkId: 99 } },
    { code: 'TX_WRONG_SHARD', tx: { fromFullShardKey: 2 } }, // 0x6 → 0x5: still cross-shard
    { code: 'TX_GAS_PRICE_TOO_LOW', tx: { gasPrice: 0n } },
    { code: 'TX_XSHARD_NOT_READY', ctx: { xshardEnabled: false } },
    { code: 'TX_INTRINSIC_GAS', tx: { gasLimit: 29_999 } },
    { code: 'TX_XSHARD_GAS_LIMIT', ctx: { xshardGasLimit: 20_000 } },
    { code: 'TX_BLOCK_GAS_EXCEEDED', gasLeft: 100 },
    { code: 'TX_BAD_NONCE', tx: { nonce: 7 } },
    { code: 'TX_INSUFFICIENT_BALANCE', tx: { value: BALANCE } },
  ];
  for (let i = 0; i < steps.length; i++) {
    let t: Partial<UnsignedTransaction> = {};
    let c: TxContext = ctx;
    let gasLeft = GAS_LEFT;
    for (const s of steps.slice(i)) {
      t = { ...s.tx, ...t }; // an earlier step's field wins (gas price 0 stays 0 for the balance)
      c = { ...c, ...s.ctx };
      gasLeft = s.gasLeft ?? gasLeft;
    }
    rejects(sign(t, xbase), steps[i]!.code, { ctx: c, gasLeft });
  }
});
