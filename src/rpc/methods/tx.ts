/**
 * Transactions: `sendRawTransaction` (shardminer's 177-byte encoding, DESIGN §4),
 * `sendTransaction` (QuarkChain's field names), `getTransactionById`, `getTransactionReceipt`.
 * A rejected transaction is error −32000 with the chain's code in `data.code` (QuarkChain
 * returns an all-zero id instead; no QuarkChain wallet can sign our format, so the reason wins).
 */
import { addressFromBytes, type Address } from '../../core/address.js';
import { bigintToBytes, type Bytes } from '../../core/bytes.js';
import { decodeTx, encodeTx, TX_LEN, txHash, type Transaction } from '../../core/transaction.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from '../../consensus/gas.js';
import type { CallContext } from '../context.js';
import { shardIdOfKey } from '../context.js';
import { idHex, receiptJson, txJson, type DepositState, type TxPlace } from '../encode.js';
import { invalidParams } from '../errors.js';
import { isPlainObject, type Json } from '../json.js';
import { arity, asArray, data, id36, quantity, quantityNumber, u32 } from '../params.js';
import { requireShard } from './chain.js';

const SIG_SCALAR_LEN = 32;
const U256_MAX = (1n << 256n) - 1n;
/** QuarkChain (Ethereum) writes v as 27/28; ours is the recovery id 0/1. */
const LEGACY_V_OFFSET = 27;

async function submit(tx: Transaction, ctx: CallContext): Promise<Json> {
  const hash = await ctx.node.coordinator.shard(requireShard(ctx.node, tx.fromFullShardKey)).addTx(encodeTx(tx));
  return idHex(hash, tx.fromFullShardKey);
}

export async function sendRawTransaction(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 1);
  return submit(decodeTx(data(p[0], 'tx', TX_LEN)), ctx);
}

function scalar(v: unknown, name: string): Bytes {
  if (typeof v === 'string' && v.length === 2 + 2 * SIG_SCALAR_LEN) return data(v, name, SIG_SCALAR_LEN);
  return bigintToBytes(quantity(v, name, U256_MAX), SIG_SCALAR_LEN);
}

function toAddress(o: Record<string, unknown>, fromKey: number): Address {
  const to = data(o.to, 'to');
  if (to.length === 24) return addressFromBytes(to);
  if (to.length !== 20) throw invalidParams('to: expected a 20-byte recipient or a 24-byte address');
  return { recipient: to, fullShardKey: o.toFullShardKey === undefined ? fromKey : u32(o.toFullShardKey, 'toFullShardKey') };
}

/** A signed transfer from QuarkChain's sendTransaction fields (`gas` or `gasLimit`; `to` 20 or 24 bytes). */
export function txFromObject(o: Record<string, unknown>, ctx: CallContext): Transaction {
  if (o.fromFullShardKey === undefined) throw invalidParams('fromFullShardKey is required');
  if (o.v === undefined || o.r === undefined || o.s === undefined) throw invalidParams('v, r and s are required (sign the transaction first)');
  if (o.data !== undefined && o.data !== '0x') throw invalidParams('data: shardminer transactions carry no data');
  const fromKey = u32(o.fromFullShardKey, 'fromFullShardKey');
  const to = toAddress(o, fromKey);
  const xshard = shardIdOfKey(ctx.node, to.fullShardKey) !== shardIdOfKey(ctx.node, fromKey);
  const gas = o.gas ?? o.gasLimit;
  let v = quantityNumber(o.v, 'v', LEGACY_V_OFFSET + 1);
  if (v >= LEGACY_V_OFFSET) v -= LEGACY_V_OFFSET;
  const cfg = ctx.node.coordinator.config;
  return {
    nonce: quantityNumber(o.nonce, 'nonce'),
    gasPrice: o.gasPrice === undefined ? cfg.minGasPrice : quantity(o.gasPrice, 'gasPrice', U256_MAX),
    gasLimit: gas === undefined ? (xshard ? GAS_XSHARD_MIN : GAS_TRANSFER) : quantityNumber(gas, 'gas'),
    to, value: o.value === undefined ? 0n : quantity(o.value, 'value', U256_MAX),
    networkId: o.networkId === undefined ? cfg.networkId : u32(o.networkId, 'networkId'), fromFullShardKey: fromKey,
    v, r: scalar(o.r, 'r'), s: scalar(o.s, 's'),
  };
}

export async function sendTransaction(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 1);
  if (!isPlainObject(p[0])) throw invalidParams('expected a transaction object');
  return submit(txFromObject(p[0], ctx), ctx);
}

export async function getTransactionById(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 1);
  const id = id36(p[0]);
  const shardId = requireShard(ctx.node, id.key);
  const r = await ctx.node.coordinator.shard(shardId).lookupTx(id.hash);
  if (!r.tx) return null;
  const b = r.tx.block;
  const place: TxPlace | null = b ? { blockHash: b.hash, branch: shardId, height: b.height, createTime: b.createTime, index: b.index } : null;
  return txJson(decodeTx(r.tx.bytes), r.tx.sender, place);
}

/** The receipt of an included transfer; a cross-shard one also says whether its deposit was applied. */
export async function getTransactionReceipt(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 1);
  const id = id36(p[0]);
  const shardId = requireShard(ctx.node, id.key);
  const c = ctx.node.coordinator;
  const r = await c.shard(shardId).lookupTx(id.hash);
  const b = r.tx?.block;
  if (!r.tx || !b) return null;
  const tx = decodeTx(r.tx.bytes);
  const dest = shardIdOfKey(ctx.node, tx.to.fullShardKey);
  let deposit: DepositState | null = null;
  if (dest !== null && dest !== shardId) {
    const d = await c.shard(dest).lookupTx(txHash(tx));
    deposit = { fullShardId: dest, applied: d.deposit ? { blockHash: d.deposit.blockHash, height: d.deposit.height, createTime: d.deposit.createTime } : null };
  }
  const place: TxPlace = { blockHash: b.hash, branch: shardId, height: b.height, createTime: b.createTime, index: b.index };
  return receiptJson(tx, place, b.xshardGasUsed, deposit);
}
