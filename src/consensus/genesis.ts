/**
 * Genesis is a pure function of the configuration (DESIGN §9): the root genesis, and per shard
 * a genesis minor block referencing it, with the configured allocation plus the dev accounts
 * (derived from a fixed seed) funded on every shard. Genesis minor blocks count as confirmed by
 * the root genesis, so the first root block lists each shard's headers from height 1.
 */
import { addressFromHex, ZERO_ADDRESS } from '../core/address.js';
import { ZERO32, type Bytes } from '../core/bytes.js';
import { keyToFullShardId, defaultKeyOf } from '../core/branch.js';
import { shardSizeOf, type Config } from '../core/config.js';
import { metaHash, txMerkleRoot, type MinorBlock, type MinorMeta } from '../core/minorBlock.js';
import { minorHeadersMerkleRoot, rootHeaderHash, type RootBlock } from '../core/rootBlock.js';
import { deriveDevKey, privateKeyToRecipient } from '../crypto/keys.js';
import { AccountTrie, type Account } from './accountTrie.js';
import { consensusParams, consensusParamsHash } from './consensusParams.js';

export interface DevAccount {
  readonly privateKey: Bytes;
  readonly recipient: Bytes;
}

/** Derived once per (seed, count) in a thread: stress runs use thousands of accounts. */
const devCache = new Map<string, DevAccount[]>();

export function devAccounts(cfg: Config): DevAccount[] {
  const k = `${cfg.devAccounts}:${cfg.devSeed}`;
  let out = devCache.get(k);
  if (!out) {
    out = Array.from({ length: cfg.devAccounts }, (_, i) => {
      const privateKey = deriveDevKey(cfg.devSeed, i);
      return { privateKey, recipient: privateKeyToRecipient(privateKey) };
    });
    devCache.set(k, out);
  }
  return out;
}

const paramsHashCache = new WeakMap<Config, Bytes>();

/** The hash of `cfg`'s consensus parameters (memoised per configuration object). */
export function genesisParamsHash(cfg: Config): Bytes {
  let h = paramsHashCache.get(cfg);
  if (!h) { h = consensusParamsHash(consensusParams(cfg)); paramsHashCache.set(cfg, h); }
  return h;
}

export function rootGenesis(cfg: Config): RootBlock {
  return {
    header: {
      version: 0, height: 0, hashPrevBlock: ZERO32, hashMerkleRoot: minorHeadersMerkleRoot([]), coinbase: ZERO_ADDRESS,
      coinbaseAmount: 0n, createTime: cfg.genesisTimestamp, difficulty: cfg.root.genesisDifficulty,
      totalDifficulty: cfg.root.genesisDifficulty, nonce: 0n, mixhash: genesisParamsHash(cfg),
    },
    minorHeaders: [],
  };
}

/** The genesis accounts of one shard: allocations whose key maps to it, plus every dev account. */
export function genesisAccounts(cfg: Config, shardId: number): Map<string, { recipient: Bytes; account: Account }> {
  const out = new Map<string, { recipient: Bytes; account: Account }>();
  const add = (recipient: Bytes, amount: bigint): void => {
    const k = Buffer.from(recipient).toString('hex');
    const prev = out.get(k)?.account.balance ?? 0n;
    out.set(k, { recipient, account: { balance: prev + amount, nonce: 0 } });
  };
  for (const a of cfg.genesisAlloc) {
    const addr = addressFromHex(a.address);
    if (keyToFullShardId(addr.fullShardKey, shardSizeOf(cfg)) === shardId) add(addr.recipient, a.balance);
  }
  for (const d of devAccounts(cfg)) add(d.recipient, cfg.devBalance);
  return out;
}

export function genesisTotal(cfg: Config, shardId: number): bigint {
  let t = 0n;
  for (const { account } of genesisAccounts(cfg, shardId).values()) t += account.balance;
  return t;
}

const genesisCache = new WeakMap<Config, Map<number, { block: MinorBlock; state: AccountTrie }>>();

/** The genesis block and state of a shard (memoised per configuration object). */
export function minorGenesis(cfg: Config, shardId: number): { block: MinorBlock; state: AccountTrie } {
  let m = genesisCache.get(cfg);
  if (!m) { m = new Map(); genesisCache.set(cfg, m); }
  let g = m.get(shardId);
  if (!g) { g = buildMinorGenesis(cfg, shardId); m.set(shardId, g); }
  return g;
}

function buildMinorGenesis(cfg: Config, shardId: number): { block: MinorBlock; state: AccountTrie } {
  const accounts = genesisAccounts(cfg, shardId);
  const state = AccountTrie.empty().update([...accounts.values()].map((a) => [a.recipient, a.account] as const));
  const consensus = cfg.chains[shardId >>> 16]!.consensus;
  const meta: MinorMeta = {
    txMerkleRoot: txMerkleRoot([]), stateRoot: state.root(), gasUsed: 0, xshardGasLimit: cfg.xshardGasLimit, xshardGasUsed: 0,
    cursor: { rootHeight: 0, minorIndex: 0, depositIndex: 0 },
  };
  const block: MinorBlock = {
    header: {
      version: 0, branch: shardId, height: 0, coinbase: { recipient: ZERO_ADDRESS.recipient, fullShardKey: defaultKeyOf(shardId) },
      coinbaseAmount: 0n, hashPrevMinorBlock: ZERO32, hashPrevRootBlock: rootHeaderHash(rootGenesis(cfg).header), gasLimit: cfg.gasLimit,
      hashMeta: metaHash(meta), createTime: cfg.genesisTimestamp, difficulty: consensus.genesisDifficulty, nonce: 0n, mixhash: ZERO32,
    },
    meta,
    txs: [],
  };
  return { block, state };
}
