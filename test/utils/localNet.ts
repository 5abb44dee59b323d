/**
 * A whole chain in one thread for tests: a RootChain and one ShardService per shard, with an
 * in-process cross-shard transport, a controllable clock and a trivial sealer (low difficulty,
 * real seal checks). Also computes the conservation equation of DESIGN §6.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyOf, type Bytes } from '../../src/core/bytes.js';
import { allShardIds, defaultConfig, shardSizeOf, type Config, type ConfigOptions } from '../../src/core/config.js';
import type { Address } from '../../src/core/address.js';
import { defaultKeyOf, keyToFullShardId } from '../../src/core/branch.js';
import type { Deposit } from '../../src/core/deposit.js';
import { minorSealHash, type MinorBlock } from '../../src/core/minorBlock.js';
import { rootSealHash, type RootBlock } from '../../src/core/rootBlock.js';
import type { UnsignedTransaction, Transaction } from '../../src/core/transaction.js';
import { checkSeal } from '../../src/consensus/seal.js';
import { devAccounts, genesisTotal, type DevAccount } from '../../src/consensus/genesis.js';
import { GAS_XSHARD_DEPOSIT, GAS_TRANSFER } from '../../src/consensus/gas.js';
import { signTx } from '../../src/crypto/keys.js';
import { RootChain } from '../../src/root/rootChain.js';
import { checkConservation, type Conservation } from '../../src/consensus/conservation.js';
import type { RootEntry } from '../../src/consensus/rootIndex.js';
import { ShardChain } from '../../src/shard/shardChain.js';
import { ShardService, type CommittedBlock } from '../../src/shard/shardService.js';
import type { KV } from '../../src/store/kv.js';
import type { Delivery } from '../../src/shard/xshardTransport.js';
import { memKv } from '../../src/store/memKv.js';
import { openLevelKv } from '../../src/store/levelKv.js';

export function testConfig(o: ConfigOptions & Partial<Config> = {}): Config {
  const base = defaultConfig({ shards: 4, algo: 'doublesha256', rootDifficulty: 1n, shardDifficulty: 1n, ...o });
  return { ...base, ...o, chains: base.chains, root: base.root };
}

/** Finds a nonce that passes the real seal check (difficulty is tiny in tests). */
function sealNonce(algo: Config['root']['algo'], sealHash: Bytes, difficulty: bigint, height: number): bigint {
  for (let n = 0n; ; n++) {
    try {
      checkSeal(algo, { sealHash, nonce: n, mixhash: new Uint8Array(32), difficulty, height });
      return n;
    } catch { /* try the next nonce */ }
  }
}

export function sealMinor(b: MinorBlock, cfg: Config): MinorBlock {
  const algo = cfg.chains[b.header.branch >>> 16]!.consensus.algo;
  return { ...b, header: { ...b.header, nonce: sealNonce(algo, minorSealHash(b.header), b.header.difficulty, b.header.height) } };
}

export function sealRoot(b: RootBlock, cfg: Config): RootBlock {
  return { ...b, header: { ...b.header, nonce: sealNonce(cfg.root.algo, rootSealHash(b.header), b.header.difficulty, b.header.height) } };
}

export class LocalNet {
  now: number;
  readonly shards = new Map<number, ShardService>();
  readonly ids: number[];
  readonly devs: DevAccount[];
  /** Per block hash: the deposits it applied (test bookkeeping for the in-flight sum). */
  readonly appliedBy = new Map<string, Deposit[]>();
  root!: RootChain;

  private constructor(readonly cfg: Config, readonly dir: string | null, private readonly retainBlocks?: number) {
    this.now = cfg.genesisTimestamp + 1;
    this.ids = allShardIds(cfg);
    this.devs = devAccounts(cfg);
  }

  static async open(cfg: Config, opts: { disk?: boolean; dir?: string; retainBlocks?: number } = {}): Promise<LocalNet> {
    const dir = opts.dir ?? (opts.disk ? mkdtempSync(join(tmpdir(), 'shardminer-test-')) : null);
    const net = new LocalNet(cfg, dir, opts.retainBlocks);
    await net.start();
    return net;
  }

  private kv(name: string): Promise<KV> {
    return this.dir ? openLevelKv(join(this.dir, name)) : Promise.resolve(memKv());
  }

  private async start(): Promise<void> {
    this.root = await RootChain.open(this.cfg, await this.kv('root'), this.retainBlocks === undefined ? {} : { pruneDepth: this.retainBlocks });
    const transport = {
      // Stored at once, so acked as soon as written.
      send: async (hash: Bytes, lists: ReadonlyMap<number, readonly Deposit[]>): Promise<Delivery> => {
        for (const [dest, list] of lists) await this.shards.get(dest)!.chain.addXshardList(hash, list);
        return { acked: Promise.resolve() };
      },
    };
    for (const id of this.ids) {
      const chain = await ShardChain.open(this.cfg, id, await this.kv(`shard-${id.toString(16)}`), { retainBlocks: this.retainBlocks });
      this.shards.set(id, new ShardService(chain, transport, () => this.now));
    }
  }

  async close(remove = true): Promise<void> {
    for (const s of this.shards.values()) await s.chain.close();
    await this.root.close();
    if (remove && this.dir) rmSync(this.dir, { recursive: true, force: true });
  }

  chain(id: number): ShardChain {
    return this.shards.get(id)!.chain;
  }

  coinbase(id: number): Address {
    return { recipient: this.devs[0]!.recipient, fullShardKey: defaultKeyOf(id) };
  }

  /** Builds, seals and adds a block on shard `id`, and reports it to the root chain. */
  async mineShard(id: number): Promise<CommittedBlock & { block: MinorBlock }> {
    this.now += 1;
    const svc = this.shards.get(id)!;
    const block = sealMinor(await svc.chain.createBlockToMine(this.now, this.coinbase(id)), this.cfg);
    const r = await this.addShardBlock(id, block);
    return { ...r, block };
  }

  async addShardBlock(id: number, block: MinorBlock): Promise<CommittedBlock> {
    const svc = this.shards.get(id)!;
    const r = await svc.addBlock(block);
    if (r.status === 'added') this.appliedBy.set(keyOf(r.hash), r.applied.map((a) => a.deposit));
    await this.root.addCommittedHeader(r.header, r.isTip);
    return r;
  }

  /** Assembles, seals and adds a root block, then sends it to every shard. */
  async mineRoot(): Promise<RootBlock> {
    this.now += 1;
    const rb = sealRoot(this.root.createBlockToMine(this.now, this.coinbase(this.ids[0]!)), this.cfg);
    await this.addRootBlock(rb);
    return rb;
  }

  async addRootBlock(rb: RootBlock): Promise<void> {
    await this.root.addBlock(rb, { nowSec: this.now });
    for (const s of this.shards.values()) await s.chain.addRootBlock(rb);
  }

  sign(from: number, shardFrom: number, to: Address, value: bigint, nonce: number, o: Partial<UnsignedTransaction> = {}): Transaction {
    const dev = this.devs[from]!;
    const xshard = this.ownerOf(to.fullShardKey) !== shardFrom;
    return signTx({
      nonce, gasPrice: 1_000_000_000n, gasLimit: xshard ? 40_000 : GAS_TRANSFER, to, value, networkId: this.cfg.networkId,
      fromFullShardKey: defaultKeyOf(shardFrom), ...o,
    }, dev.privateKey);
  }

  /**
   * The conservation equation of DESIGN §6 with every shard taken at its block confirmed by
   * root block `r`: Σ balances + inFlight = genesis + Σ shard coinbase + Σ root coinbase − Σ fees.
   */
  async conservation(r: RootEntry = this.root.tip): Promise<{ ok: boolean; balances: bigint; inFlight: bigint; expected: bigint }> {
    let balances = 0n;
    let inFlight = 0n;
    let expected = 0n;
    const emitted = new Map<string, { d: Deposit; dest: number }>();
    const applied = new Set<string>();
    for (const id of this.ids) {
      const chain = this.chain(id);
      expected += genesisTotal(this.cfg, id);
      let n = chain.block(r.confirmed.get(id)!)!;
      for (const [, a] of (await chain.stateAt(n)).entries()) balances += a.balance;
      while (n.parent) {
        const blk = (await chain.getBlock(n.hash))!;
        expected += n.header.coinbaseAmount;
        for (const tx of blk.txs) expected -= BigInt(GAS_TRANSFER) * tx.gasPrice;
        for (const d of this.appliedBy.get(n.key) ?? []) {
          applied.add(keyOf(d.txHash) + ':' + id);
          expected -= BigInt(d.gasPrice === 0n ? 0 : GAS_XSHARD_DEPOSIT) * d.gasPrice;
        }
        for (const [dest, list] of await chain.emittedLists(n.hash)) for (const d of list) emitted.set(keyOf(d.txHash) + ':' + dest, { d, dest });
        n = n.parent;
      }
    }
    for (let e: RootEntry | null = r; e && e.height > 0; e = e.parent) {
      expected += e.block.header.coinbaseAmount;
      emitted.set(keyOf(e.hash) + ':' + this.ownerOf(e.block.header.coinbase.fullShardKey), {
        d: { txHash: e.hash, from: e.block.header.coinbase, to: e.block.header.coinbase, value: e.block.header.coinbaseAmount, gasPrice: 0n, gasRemaining: 0 },
        dest: this.ownerOf(e.block.header.coinbase.fullShardKey),
      });
    }
    for (const [k, { d }] of emitted) {
      if (applied.has(k)) continue;
      inFlight += d.value + (d.gasPrice === 0n ? 0n : BigInt(d.gasRemaining + GAS_XSHARD_DEPOSIT) * d.gasPrice);
    }
    return { ok: balances + inFlight === expected, balances, inFlight, expected };
  }

  /** The production computation (cumulative block statistics), to cross-check `conservation`. */
  async conservationFromStats(r: RootEntry = this.root.tip): Promise<Conservation> {
    const parts = await Promise.all(this.ids.map((id) => this.chain(id).conservationPart(r.hash)));
    let rootCoinbase = 0n;
    for (let e: RootEntry | null = r; e && e.height > 0; e = e.parent) rootCoinbase += e.block.header.coinbaseAmount;
    return checkConservation(parts, rootCoinbase);
  }

  ownerOf(key: number): number {
    return keyToFullShardId(key, shardSizeOf(this.cfg));
  }
}
