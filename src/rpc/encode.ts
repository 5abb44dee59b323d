/**
 * JSON encoders with QuarkChain's field names (jsonrpc.py: minor_block_encoder,
 * root_block_encoder, tx_encoder, receipt_encoder, balances_encoder), plus `sealHash` and
 * `mixhash` on both block kinds. Quantities are `0x` minimal hex, data `0x` hex, `miner` the
 * 24-byte coinbase address, `coinbase` a token balance list. Transactions are shardminer's own
 * transfers (DESIGN §4), shown with QuarkChain's transaction field names.
 */
import { addressToBytes, type Address } from '../core/address.js';
import { parseBranch } from '../core/branch.js';
import { concatBytes, toHex, toQuantity, type Bytes } from '../core/bytes.js';
import { encodeMinorBlock, minorHeaderHash, minorSealHash, type MinorBlock, type MinorHeader } from '../core/minorBlock.js';
import { encodeRootBlock, rootHeaderHash, rootSealHash, type RootBlock } from '../core/rootBlock.js';
import { txHash, type Transaction } from '../core/transaction.js';
import { GAS_TRANSFER } from '../consensus/gas.js';
import type { Json } from './json.js';

/** QuarkChain's token id of "QKC" (base-36 token encoding); shardminer's one native token. */
export const NATIVE_TOKEN_ID = 0x8bb0;
export const NATIVE_TOKEN_STR = 'QKC';

const u32Bytes = (n: number): Bytes => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0);
  return b;
};

/** A 36-byte id: hash ‖ full shard key or id (u32 BE). */
export function idHex(hash: Bytes, key: number): string {
  return toHex(concatBytes(hash, u32Bytes(key)));
}

/** QuarkChain's full_shard_key_encoder: `0x` + 8 hex digits. */
export function fullShardKeyHex(key: number): string {
  return toHex(u32Bytes(key));
}

export function addressHex(a: Address): string {
  return toHex(addressToBytes(a));
}

export function balancesJson(amount: bigint): Json {
  return [{ tokenId: toQuantity(NATIVE_TOKEN_ID), tokenStr: NATIVE_TOKEN_STR, balance: toQuantity(amount) }];
}

function branchJson(id: number): { fullShardId: string; chainId: string; shardId: string } {
  return { fullShardId: toQuantity(id), chainId: toQuantity(id >>> 16), shardId: toQuantity(parseBranch(id).shardId) };
}

export function minorHeaderJson(h: MinorHeader): { [k: string]: Json } {
  const hash = minorHeaderHash(h);
  return {
    id: idHex(hash, h.branch), height: toQuantity(h.height), hash: toHex(hash), sealHash: toHex(minorSealHash(h)),
    ...branchJson(h.branch),
    hashPrevMinorBlock: toHex(h.hashPrevMinorBlock), idPrevMinorBlock: idHex(h.hashPrevMinorBlock, h.branch),
    hashPrevRootBlock: toHex(h.hashPrevRootBlock), nonce: toQuantity(h.nonce), mixhash: toHex(h.mixhash),
    miner: addressHex(h.coinbase), coinbase: balancesJson(h.coinbaseAmount), difficulty: toQuantity(h.difficulty),
    gasLimit: toQuantity(h.gasLimit), timestamp: toQuantity(h.createTime),
  };
}

/** Where a transaction sits, for tx_encoder and receipt_encoder. */
export interface TxPlace {
  readonly blockHash: Bytes;
  readonly branch: number;
  readonly height: number;
  readonly createTime: number;
  readonly index: number;
}

export function txJson(tx: Transaction, sender: Bytes, place: TxPlace | null): Json {
  return {
    id: idHex(txHash(tx), tx.fromFullShardKey), hash: toHex(txHash(tx)), nonce: toQuantity(tx.nonce),
    timestamp: place ? toQuantity(place.createTime) : null,
    ...(place ? branchJson(place.branch) : { fullShardId: null, chainId: null, shardId: null }),
    blockId: place ? idHex(place.blockHash, place.branch) : null, blockHeight: place ? toQuantity(place.height) : null,
    transactionIndex: place ? toQuantity(place.index) : null,
    from: toHex(sender), to: toHex(tx.to.recipient),
    fromFullShardKey: fullShardKeyHex(tx.fromFullShardKey), toFullShardKey: fullShardKeyHex(tx.to.fullShardKey),
    value: toQuantity(tx.value), gasPrice: toQuantity(tx.gasPrice), gas: toQuantity(tx.gasLimit), data: '0x',
    networkId: toQuantity(tx.networkId),
    transferTokenId: toQuantity(NATIVE_TOKEN_ID), gasTokenId: toQuantity(NATIVE_TOKEN_ID),
    transferTokenStr: NATIVE_TOKEN_STR, gasTokenStr: NATIVE_TOKEN_STR,
    r: toHex(tx.r), s: toHex(tx.s), v: toQuantity(tx.v),
  };
}

/**
 * A minor block: the header fields, then the meta (`hashMerkleRoot` = the tx merkle root),
 * and `transactions` as ids, or as full objects when `senders` are given.
 */
export function minorBlockJson(b: MinorBlock, senders: readonly Bytes[] | null): Json {
  const h = b.header;
  const hash = minorHeaderHash(h);
  const place = (index: number): TxPlace => ({ blockHash: hash, branch: h.branch, height: h.height, createTime: h.createTime, index });
  return {
    ...minorHeaderJson(h),
    hashMerkleRoot: toHex(b.meta.txMerkleRoot), hashStateRoot: toHex(b.meta.stateRoot), gasUsed: toQuantity(b.meta.gasUsed),
    xShardGasLimit: toQuantity(b.meta.xshardGasLimit), xShardGasUsed: toQuantity(b.meta.xshardGasUsed),
    size: toQuantity(encodeMinorBlock(b).length),
    transactions: senders
      ? b.txs.map((tx, i) => txJson(tx, senders[i]!, place(i)))
      : b.txs.map((tx) => idHex(txHash(tx), tx.fromFullShardKey)),
  };
}

export function rootBlockJson(rb: RootBlock): Json {
  return { ...rootHeaderJson(rb), minorBlockHeaders: rb.minorHeaders.map(minorHeaderJson) };
}

/** A root block without its minor headers (newHeads notifications). */
export function rootHeaderJson(rb: RootBlock): { [k: string]: Json } {
  const h = rb.header;
  const hash = rootHeaderHash(h);
  return {
    id: toHex(hash), height: toQuantity(h.height), hash: toHex(hash), sealHash: toHex(rootSealHash(h)),
    hashPrevBlock: toHex(h.hashPrevBlock), idPrevBlock: toHex(h.hashPrevBlock), nonce: toQuantity(h.nonce), mixhash: toHex(h.mixhash),
    hashMerkleRoot: toHex(h.hashMerkleRoot), miner: addressHex(h.coinbase), coinbase: balancesJson(h.coinbaseAmount),
    difficulty: toQuantity(h.difficulty), totalDifficulty: toQuantity(h.totalDifficulty), timestamp: toQuantity(h.createTime),
    size: toQuantity(encodeRootBlock(rb).length),
  };
}

/** Whether a cross-shard transfer's deposit has been applied in its destination shard. */
export interface DepositState {
  readonly fullShardId: number;
  readonly applied: { readonly blockHash: Bytes; readonly height: number; readonly createTime: number } | null;
}

/**
 * QuarkChain's receipt (status 1: a block holds only successful transfers), plus `xShardDeposit`
 * for a cross-shard transfer: its destination and the block that applied the deposit, if any.
 */
export function receiptJson(tx: Transaction, place: TxPlace, xshardGasUsed: number, deposit: DepositState | null): Json {
  const hash = txHash(tx);
  return {
    transactionId: idHex(hash, tx.fromFullShardKey), transactionHash: toHex(hash), transactionIndex: toQuantity(place.index),
    blockId: idHex(place.blockHash, place.branch), blockHash: toHex(place.blockHash),
    blockHeight: toQuantity(place.height), blockNumber: toQuantity(place.height),
    cumulativeGasUsed: toQuantity(xshardGasUsed + (place.index + 1) * GAS_TRANSFER), gasUsed: toQuantity(GAS_TRANSFER),
    status: '0x1', contractAddress: null, logs: [], timestamp: toQuantity(place.createTime),
    xShardDeposit: deposit ? {
      fullShardId: toQuantity(deposit.fullShardId), applied: deposit.applied !== null,
      blockId: deposit.applied ? idHex(deposit.applied.blockHash, deposit.fullShardId) : null,
      blockHeight: deposit.applied ? toQuantity(deposit.applied.height) : null,
      timestamp: deposit.applied ? toQuantity(deposit.applied.createTime) : null,
    } : null,
  };
}
