/**
 * `--coinbase ADDRESS` (`mine`, `miner`): where block rewards go. Either a full address
 * (0x + 48 hex: recipient + full shard key) or a bare recipient (0x + 40 hex). A shard block's
 * coinbase must be in that shard, so every shard pays the recipient with its own key; the key of a
 * full address is the root blocks' coinbase key, and must name a shard.
 */
import { ADDRESS_LEN, RECIPIENT_LEN, addressFromBytes, addressToHex, type Address } from '../core/address.js';
import { defaultKeyOf, hexId, keyToFullShardId } from '../core/branch.js';
import type { Bytes } from '../core/bytes.js';
import { allShardIds, type Config } from '../core/config.js';
import { invalid } from '../core/errors.js';

const HEX = /^0x[0-9a-fA-F]*$/;

/** The 20 or 24 bytes of `--coinbase`; a usage error (BAD_FLAG) for anything else. */
export function coinbaseBytes(v: string): Bytes {
  const hexLen = v.length - 2;
  if (!HEX.test(v) || (hexLen !== RECIPIENT_LEN * 2 && hexLen !== ADDRESS_LEN * 2)) {
    throw invalid('BAD_FLAG', `--coinbase must be an address (0x + 48 hex: recipient + full shard key) or a recipient (0x + 40 hex), got '${v}'`);
  }
  return Uint8Array.from(Buffer.from(v.slice(2), 'hex'));
}

/** The 20-byte recipient of `--coinbase` (what getWork takes), or undefined without the flag. */
export function coinbaseRecipientOf(v: string | undefined): Bytes | undefined {
  return v === undefined ? undefined : coinbaseBytes(v).subarray(0, RECIPIENT_LEN);
}

/** The node's coinbase from `--coinbase`, checked against the configuration; undefined: dev account #0. */
export function coinbaseOf(v: string | undefined, cfg: Config): Address | undefined {
  if (v === undefined) return undefined;
  const b = coinbaseBytes(v);
  if (b.length === RECIPIENT_LEN) return { recipient: b, fullShardKey: defaultKeyOf(allShardIds(cfg)[0]!) };
  const a = addressFromBytes(b);
  try {
    keyToFullShardId(a.fullShardKey, (c) => cfg.chains[c]?.shardSize);
  } catch {
    throw invalid('BAD_FLAG', `--coinbase: full shard key ${hexId(a.fullShardKey)} names chain ${a.fullShardKey >>> 16}, and this node has ${cfg.chains.length} chain(s)`);
  }
  return a;
}

/** The banner's lines saying where rewards go (each under 80 columns). */
export function rewardLines(coinbase: Address, given: boolean, remote: boolean): string[] {
  return [
    `rewards: ${addressToHex(coinbase)}`,
    given ? '  (--coinbase) its recipient on every shard, with that shard\'s key'
      : '  dev #0, its recipient on every shard; --coinbase ADDRESS changes it',
    ...(remote ? ['  (external miners that name a coinbase in getWork are paid there)'] : []),
  ];
}
