/**
 * `mine`'s banner on stderr: the chains, the datadir, where rewards go and the dev accounts,
 * each key on its own line under its address, so that every line fits 80 columns.
 */
import { addressToHex, type Address } from '../core/address.js';
import { defaultKeyOf, hexId } from '../core/branch.js';
import { toHex } from '../core/bytes.js';
import { allShardIds, type Config } from '../core/config.js';
import { devAccounts } from '../consensus/genesis.js';
import { rewardLines } from './coinbaseFlag.js';

/** `0x4..0x7` for consecutive ids, else the list. */
function idRange(ids: readonly number[]): string {
  const consecutive = ids.every((id, i) => i === 0 || id === ids[i - 1]! + 1);
  return consecutive && ids.length > 2 ? `${hexId(ids[0]!)}..${hexId(ids[ids.length - 1]!)}` : ids.map(hexId).join(' ');
}

export interface BannerOptions {
  readonly datadir: string | null;
  readonly coinbase: Address;
  readonly coinbaseGiven: boolean;
  readonly remote: boolean;
}

export function mineBanner(cfg: Config, o: BannerOptions): string[] {
  const ids = allShardIds(cfg);
  const c0 = cfg.chains[0]!;
  const lines = [
    `shardminer: ${cfg.chains.length} chain(s) × ${c0.shardSize} shards (${idRange(ids)})`,
    `  root: ${cfg.root.algo}, ${cfg.root.targetBlockTime} s blocks; shards: ${c0.consensus.algo}, ${c0.consensus.targetBlockTime} s blocks`,
    `datadir: ${o.datadir ?? '(in memory)'}`,
    ...rewardLines(o.coinbase, o.coinbaseGiven, o.remote),
    'dev accounts (publicly known keys: never use them outside a local chain):',
  ];
  devAccounts(cfg).forEach((d, i) => {
    lines.push(`  #${i} ${addressToHex({ recipient: d.recipient, fullShardKey: defaultKeyOf(ids[0]!) })}`);
    lines.push(`     key ${toHex(d.privateKey)}`);
  });
  lines.push('  (each recipient exists on every shard: the last 4 bytes are the shard key)');
  return lines;
}
