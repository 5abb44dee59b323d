/**
 * The stress load generator inside a shard worker (issue 6, after QuarkChain's tx_generator):
 * this shard's share of the funded test accounts send signed transfers with correct nonces, a
 * share of them to other shards (any shard), at a rate or as fast as the shard takes them.
 * Signing stays in this thread; transactions may be pre-signed before the measured window.
 * It also records what is needed for the report: rejections by reason, per-sender accepted
 * counts (for loss), and for cross-shard transfers when the source block and the deposit landed.
 */
import type { Bytes } from '../core/bytes.js';
import { allShardIds, shardSizeOf, type Config } from '../core/config.js';
import { defaultKeyOf, keyToFullShardId } from '../core/branch.js';
import { ChainError } from '../core/errors.js';
import type { MinorBlock } from '../core/minorBlock.js';
import type { Transaction, UnsignedTransaction } from '../core/transaction.js';
import type { AppliedDeposit } from '../consensus/applyDeposits.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from '../consensus/gas.js';
import { deriveDevKey, privateKeyToRecipient, signTx } from '../crypto/keys.js';
import type { StressPlan, StressReport } from './protocol.js';
import type { ShardChain } from './shardChain.js';
import { PresignedQueue } from './presignedQueue.js';
import { Reservoir } from './reservoir.js';

/** Gas price of generated transfers (1 gwei: accepted by every default configuration). */
const GAS_PRICE = 1_000_000_000n;
/** Transactions submitted per loop turn before yielding to the event loop. */
const BATCH = 64;
/**
 * Stop feeding while the pool holds this many transfers (several seconds of a shard's share at
 * full rate): enough to fill every block, bounded whatever the block gas limit.
 */
const MAX_BACKLOG = 8_192;
/** Latency samples kept per shard (reservoir sampling keeps memory bounded on long runs). */
const LATENCY_SAMPLES = 50_000;
/** Signatures made between yields while pre-signing, so status queries still get answers. */
const PRESIGN_YIELD_EVERY = 1_024;

function bump(m: Map<number, number>, k: number): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

interface Sender { readonly key: Bytes; readonly recipient: Bytes; nonce: number; readonly startNonce: number; accepted: number }
interface Signed { readonly tx: Transaction; readonly sender: Sender; readonly senderIx: number }

export class StressGenerator {
  private readonly senders: Sender[] = [];
  private readonly recipients: Bytes[] = [];
  private readonly shards: number[];
  private readonly others: number[];
  private readonly sizes: (chainId: number) => number | undefined;
  private readonly presigned = new PresignedQueue();
  private readonly rejected = new Map<string, number>();
  private submitted = 0;
  private xAccepted = 0;
  private xIncluded = 0;
  private appliedCount = 0;
  /** Stale-nonce transfers `injectInvalid` still owes (see `payStale`). */
  private staleOwed = 0;
  /** Cross-shard latency samples taken where the deposit is applied (bounded: memory stays flat). */
  private readonly latency = new Reservoir(LATENCY_SAMPLES);
  private readonly latencyRoot = new Reservoir(LATENCY_SAMPLES);
  /** Root blocks from the source block's root to the one confirming it, and from there to the applying block's. */
  private readonly confirmLag = new Map<number, number>();
  private readonly applyLag = new Map<number, number>();
  private running = false;
  private loop: Promise<void> | null = null;
  private next = 0;
  private seed: number;
  private plan: StressPlan | null = null;

  constructor(private readonly cfg: Config, private readonly chain: ShardChain, private readonly serial: <T>(fn: () => Promise<T>) => Promise<T>) {
    this.shards = allShardIds(cfg);
    this.others = this.shards.filter((x) => x !== chain.shardId);
    this.sizes = shardSizeOf(cfg);
    this.seed = chain.shardId * 7919 + 1;
  }

  private rand(): number {
    this.seed = (this.seed * 1103515245 + 12345) % 2 ** 31;
    return this.seed / 2 ** 31;
  }

  /**
   * Derives this shard's senders and reads their nonces (once), then pre-signs `plan.presign`
   * more transfers. Calling it again only changes the plan (nonces continue where they are).
   */
  async prepare(plan: StressPlan): Promise<{ presigned: number }> {
    this.plan = plan;
    const index = this.shards.indexOf(this.chain.shardId);
    for (let j = this.recipients.length; j < this.cfg.devAccounts; j++) {
      const key = deriveDevKey(this.cfg.devSeed, j);
      const recipient = privateKeyToRecipient(key);
      this.recipients.push(recipient);
      if (j % this.shards.length === index) {
        const nonce = (await this.chain.account(recipient)).nonce;
        this.senders.push({ key, recipient, nonce, startNonce: nonce, accepted: 0 });
      }
    }
    if (plan.presign > 0 && this.senders.length) {
      this.presigned.reserve(plan.presign);
      for (let i = 0; i < plan.presign; i++) {
        const s = this.make();
        this.presigned.push(s.tx, s.senderIx);
        if (i % PRESIGN_YIELD_EVERY === PRESIGN_YIELD_EVERY - 1) await new Promise((r) => setImmediate(r));
      }
    }
    return { presigned: this.presigned.length };
  }

  private make(): Signed {
    const plan = this.plan!;
    const senderIx = this.next++ % this.senders.length;
    const s = this.senders[senderIx]!;
    const xshard = this.shards.length > 1 && this.rand() * 100 < plan.xshardPercent;
    const others = this.others;
    const dest = xshard ? others[Math.floor(this.rand() * others.length)]! : this.chain.shardId;
    const to = this.recipients[Math.floor(this.rand() * this.recipients.length)]!;
    const tx = signTx({
      nonce: s.nonce++, gasPrice: GAS_PRICE, gasLimit: xshard ? GAS_XSHARD_MIN : GAS_TRANSFER,
      to: { recipient: to, fullShardKey: defaultKeyOf(dest) }, value: 1n + BigInt(Math.floor(this.rand() * 1000)),
      networkId: this.cfg.networkId, fromFullShardKey: defaultKeyOf(this.chain.shardId),
    }, s.key);
    return { tx, sender: s, senderIx };
  }

  get submittedCount(): number {
    return this.submitted;
  }

  get presignedCount(): number {
    return this.presigned.length;
  }

  start(): void {
    if (this.running || !this.plan) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    const plan = this.plan!;
    const t0 = Date.now();
    const backlog = Math.min(MAX_BACKLOG, Math.floor(this.cfg.gasLimit / GAS_TRANSFER));
    while (this.running) {
      let n = BATCH;
      if (plan.ratePerShard > 0) {
        const due = Math.floor(((Date.now() - t0) / 1000) * plan.ratePerShard) - this.submitted;
        n = Math.min(due, BATCH);
      }
      // Backpressure at any rate: a node that cannot keep up slows the generator down instead of
      // growing its pool (memory stays bounded; the report shows what was submitted).
      if (this.chain.pool.size > backlog) n = 0;
      if (n <= 0) { await new Promise((r) => setTimeout(r, 5)); continue; }
      const batch: Signed[] = [];
      for (let i = 0; i < n; i++) {
        const p = this.presigned.shift();
        batch.push(p ? { tx: p.tx, sender: this.senders[p.sender]!, senderIx: p.sender } : this.make());
      }
      await this.serial(async () => this.submitBatch(batch));
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Submits a batch in one admission call (no await per transfer) and books each outcome. */
  private async submitBatch(batch: readonly Signed[]): Promise<void> {
    const results = await this.chain.addTxs(batch.map((b) => b.tx), true);
    this.submitted += batch.length;
    batch.forEach((b, i) => { const r = results[i]; this.book(b.tx, b.sender, r instanceof ChainError ? r : undefined); });
  }

  /** Submits one transaction and books the outcome (also used for deliberately invalid ones). */
  async submit(tx: Transaction, sender?: Sender): Promise<void> {
    this.submitted++;
    let refusal: ChainError | undefined;
    try {
      await this.chain.addTx(tx, true);
    } catch (e) {
      refusal = ChainError.from(e);
    }
    this.book(tx, sender, refusal);
  }

  /** A submission's outcome (counted as submitted by the caller): accepted, cross-shard or not, or refused by code. */
  private book(tx: Transaction, sender: Sender | undefined, refusal: ChainError | undefined): void {
    if (refusal) {
      this.rejected.set(refusal.code, (this.rejected.get(refusal.code) ?? 0) + 1);
      return;
    }
    if (sender) sender.accepted++;
    if (this.shardOf(tx) !== this.chain.shardId) this.xAccepted++;
  }

  private shardOf(tx: Transaction): number {
    return keyToFullShardId(tx.to.fullShardKey, this.sizes);
  }

  /**
   * Books a canonical block this shard added: its cross-shard transfers left; its deposits
   * arrived, with the latency from the source block (its time and root reference are in the root
   * block that confirmed it) to now, in seconds and in root blocks.
   */
  onBlock(block: MinorBlock, applied: readonly AppliedDeposit[]): void {
    if (this.staleOwed > 0 && block.txs.length > 0) void this.serial(() => this.payStale()).catch(() => undefined);
    const now = Date.now() / 1000;
    const rootHeight = this.chain.rootBlock(block.header.hashPrevRootBlock)?.height ?? -1;
    for (const tx of block.txs) if (this.shardOf(tx) !== this.chain.shardId) this.xIncluded++;
    for (const a of applied) {
      if (!a.source) continue;
      this.appliedCount++;
      const sourceRoot = this.chain.rootBlock(a.source.hashPrevRootBlock)?.height ?? rootHeight;
      this.latency.add(now - a.source.createTime);
      this.latencyRoot.add(rootHeight - sourceRoot);
      bump(this.confirmLag, a.rootHeight - sourceRoot);
      bump(this.applyLag, rootHeight - a.rootHeight);
    }
  }

  /** Invalid transfers on purpose (tests): a stale nonce, an unaffordable value, a bad signature. */
  async injectInvalid(count: number): Promise<void> {
    const s = this.senders[0];
    if (!s) return;
    for (let i = 0; i < count; i++) {
      const base = this.selfTransfer(s);
      const rich = signTx({ ...base, nonce: s.nonce, value: 1n << 200n }, s.key);
      const good = signTx({ ...base, nonce: s.nonce, value: 1n }, s.key);
      const badSig: Transaction = { ...good, v: 2 };
      const bad = [rich, badSig];
      for (const tx of bad) await this.serial(() => this.submit(tx));
      this.staleOwed++;
    }
    await this.serial(() => this.payStale());
  }

  /**
   * Stale-nonce transfers owed by `injectInvalid`: each reuses a nonce some sender already used
   * at the tip. Signed is not enough (the generator may not have submitted it yet, and then the
   * transfer would be valid), so on a slow start they wait for a block that includes one.
   */
  private async payStale(): Promise<void> {
    while (this.staleOwed > 0) {
      let used: Sender | undefined;
      for (const s of this.senders) if ((await this.chain.account(s.recipient)).nonce > s.startNonce) { used = s; break; }
      if (!used) return;
      this.staleOwed--;
      await this.submit(signTx({ ...this.selfTransfer(used), nonce: used.startNonce, value: 1n }, used.key));
    }
  }

  private selfTransfer(s: Sender): Omit<UnsignedTransaction, 'nonce' | 'value'> {
    const key = defaultKeyOf(this.chain.shardId);
    return { gasPrice: GAS_PRICE, gasLimit: GAS_TRANSFER, to: { recipient: s.recipient, fullShardKey: key }, networkId: this.cfg.networkId, fromFullShardKey: key };
  }

  /** Accepted = included at the tip (nonce progress) + still pooled + lost. `samples`: include the latency samples. */
  async report(samples = true): Promise<StressReport> {
    let accepted = 0;
    let included = 0;
    let pendingInPool = 0;
    for (const s of this.senders) {
      accepted += s.accepted;
      included += (await this.chain.account(s.recipient)).nonce - s.startNonce;
    }
    pendingInPool = this.chain.pool.size;
    const rejected: Record<string, number> = {};
    for (const [k, v] of this.rejected) rejected[k] = v;
    return {
      shardId: this.chain.shardId, submitted: this.submitted, accepted, included, pendingInPool, rejected,
      presignedLeft: this.presigned.length,
      xAccepted: this.xAccepted, xIncluded: this.xIncluded, applied: this.appliedCount,
      latencySec: samples ? this.latency.values() : [], latencyRootBlocks: samples ? this.latencyRoot.values() : [],
      confirmLag: Object.fromEntries(this.confirmLag), applyLag: Object.fromEntries(this.applyLag),
    };
  }
}
