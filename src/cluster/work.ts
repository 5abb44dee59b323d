/**
 * Remote mining work (DESIGN §1, §11; QuarkChain's miner.py get_work/submit_work): per chain
 * (each shard and the root) and coinbase, the current work item, rebuilt on a new tip and at
 * least every second (createTime and difficulty follow the clock); every issued item is kept in
 * an LRU keyed by seal hash with its full unsealed block. A valid seal on an issued item whose
 * parent is still the tip goes through the same path as a locally mined block
 * (`Coordinator.addShardBlock` / `Coordinator.addRootBlock`).
 */
import { addressToBytes } from '../core/address.js';
import { defaultKeyOf } from '../core/branch.js';
import { keyOf, ZERO32, type Bytes } from '../core/bytes.js';
import { consensusOf, type PowAlgo } from '../core/config.js';
import { ChainError } from '../core/errors.js';
import { decodeMinorHeader, MINOR_HEADER_LEN, MINOR_HEADER_SEAL_LEN, minorSealHash } from '../core/minorBlock.js';
import { rootSealHash, type RootBlock } from '../core/rootBlock.js';
import { checkSeal } from '../consensus/seal.js';
import { CANDIDATE_MAX_AGE_MS, isStale } from '../pow/sealSchedule.js';
import type { Coordinator } from './coordinator.js';

/** Work older than this is rebuilt (QuarkChain waits 10 s; DESIGN §1 asks for every second): the shared candidate age. */
export const WORK_MAX_AGE_MS = CANDIDATE_MAX_AGE_MS;
/** Issued work items remembered for submitWork (QuarkChain's LRU size). */
export const ISSUED_WORK_CAP = 128;
/** The root in work keys (shards use their full shard id, a u32, never negative). */
export const ROOT_CHAIN = -1;
/** The nonce is a u64 right after the sealed part of the header, followed by the mixhash. */
const NONCE_LEN = 8;

export interface Work {
  readonly sealHash: Bytes;
  readonly height: number;
  readonly difficulty: bigint;
}

interface Issued {
  readonly chain: number;
  readonly work: Work;
  readonly algo: PowAlgo;
  /** Parent block hash (map key form): the work is stale once the tip moves off it. */
  readonly parent: string;
  readonly madeAtMs: number;
  /** Shard work: the unsealed encoded minor block. Root work: the unsealed root block. */
  readonly minor: Bytes | null;
  readonly root: RootBlock | null;
}

interface Tip {
  readonly key: string;
  readonly createTime: number;
}

export class WorkManager {
  private readonly issued = new Map<string, Issued>();
  private readonly current = new Map<string, Issued>();
  private readonly building = new Map<string, Promise<Issued | null>>();
  private readonly defaultRecipient: Bytes;
  /** Root submissions one at a time: the tip check and the add must not interleave. */
  private rootTail: Promise<unknown> = Promise.resolve();
  accepted = 0;
  rejected = 0;

  constructor(private readonly node: Coordinator, private readonly nowMs: () => number = Date.now, private readonly log: (l: string) => void = () => undefined) {
    this.defaultRecipient = node.coinbase.recipient;
  }

  private algoOf(chain: number): PowAlgo {
    return chain === ROOT_CHAIN ? this.node.config.root.algo : consensusOf(this.node.config, chain).algo;
  }

  private async tipOf(chain: number): Promise<Tip> {
    if (chain === ROOT_CHAIN) {
      const t = this.node.rootTip();
      return { key: t.key, createTime: t.block.header.createTime };
    }
    const s = await this.node.shard(chain).status();
    return { key: keyOf(s.tip.hash), createTime: s.tip.createTime };
  }

  /**
   * The current work of `chain` (a full shard id or ROOT_CHAIN) for `recipient` (20 bytes, or the
   * default coinbase), or null when no valid work exists: the tip is already ahead of the clock
   * (a candidate may run at most one second ahead), or the block cannot be built.
   */
  async getWork(chain: number, recipient: Bytes | null): Promise<Work | null> {
    const rcpt = recipient ?? this.defaultRecipient;
    const k = `${chain}:${keyOf(rcpt)}`;
    let tip: Tip;
    try {
      tip = await this.tipOf(chain);
    } catch (e) {
      this.log(`work: no tip for ${this.label(chain)}: ${ChainError.from(e).message}`);
      return null;
    }
    if (tip.createTime * 1000 > this.nowMs()) return null;
    const cur = this.current.get(k);
    // Work has no generation counter of its own: the tip and the age decide (gen 0 on both sides).
    if (cur && !isStale({ madeAtMs: cur.madeAtMs, gen: 0, tipKey: cur.parent }, this.nowMs(), 0, tip.key)) return cur.work;
    let p = this.building.get(k);
    if (!p) {
      p = this.build(chain, rcpt).finally(() => this.building.delete(k));
      this.building.set(k, p);
    }
    const item = await p;
    if (item) lruSet(this.current, k, item);
    return item?.work ?? null;
  }

  private async build(chain: number, recipient: Bytes): Promise<Issued | null> {
    const algo = this.algoOf(chain);
    let item: Issued;
    try {
      if (chain === ROOT_CHAIN) {
        // The node's own coinbase keeps its key (checked at start to name a shard); another recipient takes the first shard's.
        const coinbase = { recipient, fullShardKey: recipient === this.defaultRecipient ? this.node.coinbase.fullShardKey : defaultKeyOf(this.node.shardIds[0]!) };
        const rb = this.node.root.createBlockToMine(Math.floor(this.nowMs() / 1000), coinbase);
        const h = rb.header;
        item = { chain, algo, work: { sealHash: rootSealHash(h), height: h.height, difficulty: h.difficulty }, parent: keyOf(h.hashPrevBlock), madeAtMs: this.nowMs(), minor: null, root: rb };
      } else {
        const coinbase = addressToBytes({ recipient, fullShardKey: defaultKeyOf(chain) });
        const bytes = await this.node.shard(chain).createBlockToMine(coinbase);
        const h = decodeMinorHeader(bytes.subarray(0, MINOR_HEADER_LEN));
        item = { chain, algo, work: { sealHash: minorSealHash(h), height: h.height, difficulty: h.difficulty }, parent: keyOf(h.hashPrevMinorBlock), madeAtMs: this.nowMs(), minor: bytes, root: null };
      }
    } catch (e) {
      this.log(`work: cannot build work for ${this.label(chain)}: ${ChainError.from(e).message}`);
      return null;
    }
    lruSet(this.issued, keyOf(item.work.sealHash), item);
    return item;
  }

  /**
   * True when the seal is valid for an issued item of `chain` whose parent is still the tip and
   * the block was added; false for unknown, evicted, stale or invalid work (never an error).
   */
  async submitWork(chain: number, sealHash: Bytes, nonce: bigint, mixhash: Bytes): Promise<boolean> {
    const ok = chain === ROOT_CHAIN
      ? await this.serialRoot(() => this.submit(chain, sealHash, nonce, mixhash))
      : await this.submit(chain, sealHash, nonce, mixhash);
    if (ok) this.accepted++; else this.rejected++;
    return ok;
  }

  private serialRoot(fn: () => Promise<boolean>): Promise<boolean> {
    const run = this.rootTail.then(fn, fn);
    this.rootTail = run.catch(() => undefined);
    return run;
  }

  private async submit(chain: number, sealHash: Bytes, nonce: bigint, mixhash: Bytes): Promise<boolean> {
    const k = keyOf(sealHash);
    const item = this.issued.get(k);
    if (!item || item.chain !== chain) return false;
    if ((await this.tipOf(chain).catch(() => null))?.key !== item.parent) {
      this.issued.delete(k);
      return false;
    }
    // QuarkChain ignores the mixhash of doublesha256 seals; ours must be zero in the block.
    const mix = item.algo === 'doublesha256' ? ZERO32 : mixhash;
    try {
      checkSeal(item.algo, { sealHash, nonce, mixhash: mix, difficulty: item.work.difficulty, height: item.work.height });
    } catch {
      return false;
    }
    if (!this.issued.delete(k)) return false; // a concurrent submission of the same work won
    try {
      if (item.root) {
        await this.node.addRootBlock({ ...item.root, header: { ...item.root.header, nonce, mixhash: mix } });
      } else {
        await this.node.addShardBlock(chain, sealMinor(item.minor!, nonce, mix), { sealedHere: true });
      }
      return true;
    } catch (e) {
      this.log(`work: submitted ${this.label(chain)} block ${item.work.height} rejected: ${ChainError.from(e).message}`);
      return false;
    }
  }

  private label(chain: number): string {
    return chain === ROOT_CHAIN ? 'root' : `shard 0x${chain.toString(16)}`;
  }
}

/** Inserts as newest; beyond ISSUED_WORK_CAP entries the oldest goes (random coinbases cannot grow it). */
function lruSet<V>(m: Map<string, V>, k: string, v: V): void {
  m.delete(k);
  m.set(k, v);
  if (m.size > ISSUED_WORK_CAP) m.delete(m.keys().next().value as string);
}

/** The encoded minor block with nonce and mixhash patched in place (they end the header). */
export function sealMinor(unsealed: Bytes, nonce: bigint, mixhash: Bytes): Bytes {
  const b = unsealed.slice();
  new DataView(b.buffer, b.byteOffset, b.byteLength).setBigUint64(MINOR_HEADER_SEAL_LEN, nonce);
  b.set(mixhash, MINOR_HEADER_SEAL_LEN + NONCE_LEN);
  return b;
}
