/** `shardminer balance --rpc URL 0x<48 hex>`: the balance and nonce of an address on its shard. */
import type { Command } from 'commander';
import { addressFromHex } from '../core/address.js';
import { invalid } from '../core/errors.js';
import { RpcClient } from '../rpc/client.js';
import { isPlainObject } from '../rpc/json.js';
import { formatTokens } from '../rpc/units.js';
import { NATIVE_TOKEN_STR } from '../rpc/encode.js';
import { DEFAULT_RPC_URL } from './miner.js';

interface BalanceFlags { rpc: string; json?: boolean }

export async function runBalance(addr: string, f: BalanceFlags): Promise<void> {
  try {
    addressFromHex(addr);
  } catch {
    throw invalid('BAD_FLAG', `expected an address 0x + 48 hex digits (recipient + full shard key), got '${addr}'`);
  }
  const client = new RpcClient(f.rpc);
  const [b, n] = await Promise.all([client.call('getBalances', [addr]), client.call('getTransactionCount', [addr])]);
  if (!isPlainObject(b) || !Array.isArray(b.balances) || typeof n !== 'string') throw invalid('RPC_BAD_REPLY', 'unexpected getBalances reply');
  const entry = b.balances.find((x) => isPlainObject(x) && x.tokenStr === NATIVE_TOKEN_STR);
  const balance = isPlainObject(entry) && typeof entry.balance === 'string' ? BigInt(entry.balance) : 0n;
  const nonce = Number(BigInt(n));
  if (f.json) {
    process.stdout.write(JSON.stringify({ address: addr, fullShardId: b.fullShardId, balance: balance.toString(), nonce }) + '\n');
  } else {
    process.stdout.write(`${addr}  shard ${String(b.fullShardId)}  balance ${formatTokens(balance)} ${NATIVE_TOKEN_STR} (${balance} units)  nonce ${nonce}\n`);
  }
}

export function registerBalance(program: Command): void {
  program.command('balance').description('balance and nonce of an address (on the shard of its key)')
    .argument('<address>', '0x + 48 hex: 20-byte recipient + 4-byte full shard key')
    .option('--rpc <URL>', "the node's JSON-RPC URL", DEFAULT_RPC_URL)
    .option('--json', 'one JSON object on stdout')
    .action(async (addr: string, f: BalanceFlags) => { await runBalance(addr, f); });
}
