/**
 * `shardminer send --rpc URL --key 0x… --to 0x<48 hex> --value V [--from-key K] [--gas-price P] [--wait]`:
 * signs one transfer with the key (the dev keys `mine` prints work), nonce the node's pending one
 * (`getTransactionCount [address, 'pending']`) unless `--nonce`, from the sender's recipient on the shard of `--from-key` (default: the shard of `--to`,
 * an in-shard transfer; another shard makes it cross-shard). Prints the transaction id; with
 * `--wait`, waits until it is confirmed, and for a cross-shard one until its deposit is applied.
 */
import type { Command } from 'commander';
import { addressFromHex, addressToHex, type Address } from '../core/address.js';
import { hexId, keyToFullShardId } from '../core/branch.js';
import { fromHex, toHex } from '../core/bytes.js';
import { invalid } from '../core/errors.js';
import { encodeTx } from '../core/transaction.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from '../consensus/gas.js';
import { privateKeyToRecipient, signTx } from '../crypto/keys.js';
import { RpcClient } from '../rpc/client.js';
import { isPlainObject } from '../rpc/json.js';
import { parseAmount } from '../rpc/units.js';
import { DEFAULT_RPC_URL } from './miner.js';

interface SendFlags {
  rpc: string;
  key: string;
  to: string;
  value: string;
  fromKey?: string;
  gasPrice: string;
  gas?: string;
  nonce?: string;
  wait?: boolean;
  timeout: string;
  json?: boolean;
}

/** 1 gwei, as QuarkChain's tools use. */
const DEFAULT_GAS_PRICE = '1000000000';
const DEFAULT_TIMEOUT_SEC = 120;
/** How often `--wait` asks for the receipt. */
const WAIT_POLL_MS = 1000;

function flagAddress(v: string, name: string): Address {
  try {
    return addressFromHex(v);
  } catch {
    throw invalid('BAD_FLAG', `--${name}: expected 0x + 48 hex digits (recipient + full shard key), got '${v}'`);
  }
}

function flagInt(v: string, name: string, max = Number.MAX_SAFE_INTEGER): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > max) throw invalid('BAD_FLAG', `--${name}: expected an integer, got '${v}'`);
  return n;
}

export async function runSend(f: SendFlags): Promise<void> {
  let key: Uint8Array;
  try {
    key = fromHex(f.key, 32);
  } catch {
    throw invalid('BAD_FLAG', '--key: expected a 32-byte private key, 0x + 64 hex digits');
  }
  const to = flagAddress(f.to, 'to');
  const value = parseAmount(f.value, 'value');
  const gasPrice = parseAmount(f.gasPrice, 'gas-price');
  const fromKey = f.fromKey === undefined ? to.fullShardKey : flagInt(f.fromKey, 'from-key', 0xffffffff);
  const timeoutMs = flagInt(f.timeout, 'timeout') * 1000;
  const from: Address = { recipient: privateKeyToRecipient(key), fullShardKey: fromKey };
  const client = new RpcClient(f.rpc);
  const info = await client.call('networkInfo');
  if (!isPlainObject(info) || !Array.isArray(info.shardSizes)) throw invalid('RPC_BAD_REPLY', 'unexpected networkInfo reply');
  const sizes = info.shardSizes.map((s) => Number(s));
  const shardOf = (k: number): number => keyToFullShardId(k, (c) => sizes[c]);
  const xshard = shardOf(from.fullShardKey) !== shardOf(to.fullShardKey);
  // The pending nonce: a second send before the first is mined takes the next one.
  const nonce = f.nonce !== undefined ? flagInt(f.nonce, 'nonce', 0xffffffff) : Number(BigInt(String(await client.call('getTransactionCount', [addressToHex(from), 'pending']))));
  const tx = signTx({
    nonce, gasPrice, gasLimit: f.gas === undefined ? (xshard ? GAS_XSHARD_MIN : GAS_TRANSFER) : flagInt(f.gas, 'gas'),
    to, value, networkId: Number(info.networkId), fromFullShardKey: from.fullShardKey,
  }, key);
  const id = String(await client.call('sendRawTransaction', [toHex(encodeTx(tx))]));
  const say = (l: string): void => { process.stderr.write(l + '\n'); };
  say(`send: ${addressToHex(from)} → ${addressToHex(to)} value ${value} nonce ${nonce}${xshard ? ` (cross-shard ${hexId(shardOf(from.fullShardKey))} → ${hexId(shardOf(to.fullShardKey))})` : ''}`);
  if (!f.wait) {
    process.stdout.write((f.json ? JSON.stringify({ id }) : id) + '\n');
    return;
  }
  const receipt = await waitFor(client, id, xshard, timeoutMs, say);
  process.stdout.write((f.json ? JSON.stringify({ id, receipt }) : id) + '\n');
}

/** Polls the receipt until confirmed (and for a cross-shard transfer, until its deposit is applied). */
async function waitFor(client: RpcClient, id: string, xshard: boolean, timeoutMs: number, say: (l: string) => void): Promise<unknown> {
  const end = Date.now() + timeoutMs;
  let included = false;
  for (;;) {
    const r = await client.call('getTransactionReceipt', [id]);
    if (isPlainObject(r)) {
      if (!included) say(`send: included in shard ${hexId(parseInt(String(r.blockId).slice(-8), 16))} block ${Number(r.blockHeight)}`);
      included = true;
      const dep = r.xShardDeposit;
      if (!xshard) return r;
      if (isPlainObject(dep) && dep.applied === true) {
        say(`send: deposit applied in shard ${String(dep.fullShardId)} block ${Number(dep.blockHeight)}`);
        return r;
      }
    }
    if (Date.now() > end) throw invalid('TIMEOUT', `transaction ${id} not ${included ? 'applied in its destination shard' : 'confirmed'} after ${timeoutMs / 1000}s`);
    await new Promise((res) => setTimeout(res, WAIT_POLL_MS));
  }
}

export function registerSend(program: Command): void {
  program.command('send').description('sign and send one transfer (in-shard or cross-shard by the addresses\' keys)')
    .requiredOption('--key <HEX>', 'private key, 0x + 64 hex (the dev keys `mine` prints)')
    .requiredOption('--to <ADDRESS>', 'recipient address, 0x + 48 hex (recipient + full shard key)')
    .requiredOption('--value <V>', 'amount: integer in smallest units, or tokens like 1.5qkc')
    .option('--from-key <KEY>', "the sender's full shard key (default: the shard of --to)")
    .option('--gas-price <P>', 'gas price in smallest units', DEFAULT_GAS_PRICE)
    .option('--gas <N>', 'gas limit (default 21000 in-shard, 30000 cross-shard)')
    .option('--nonce <N>', "the sender's nonce (default: the node's pending nonce, after the sender's transfers in its pool)")
    .option('--wait', 'wait until confirmed (cross-shard: until the deposit is applied)')
    .option('--timeout <SEC>', 'give up waiting after SEC seconds', String(DEFAULT_TIMEOUT_SEC))
    .option('--rpc <URL>', "the node's JSON-RPC URL", DEFAULT_RPC_URL)
    .option('--json', 'JSON on stdout')
    .action(async (f: SendFlags) => { await runSend(f); });
}
