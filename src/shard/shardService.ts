/**
 * ShardService: a ShardChain plus the commit protocol (DESIGN §7 step 3). Adding a block stores
 * it, delivers its deposit lists to every destination and only then marks it committed; adding
 * a block that is already committing waits for that commit instead of doing it twice
 * (QuarkChain's commit futures). The coordinator learns the header from the result.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import type { Deposit } from '../core/deposit.js';
import type { MinorBlock, MinorHeader } from '../core/minorBlock.js';
import type { AppliedDeposit } from '../consensus/applyDeposits.js';
import type { ShardChain } from './shardChain.js';
import type { XshardTransport } from './xshardTransport.js';

export interface CommittedBlock {
  readonly status: 'added' | 'known';
  readonly hash: Bytes;
  readonly header: MinorHeader;
  /** Whether the block is the shard's canonical tip now. */
  readonly isTip: boolean;
  readonly txCount: number;
  /** Deposits the block applied (empty when it was known). */
  readonly applied: readonly AppliedDeposit[];
}

export class ShardService {
  private readonly committing = new Map<string, Promise<void>>();

  constructor(
    readonly chain: ShardChain,
    private readonly transport: XshardTransport,
    private readonly clock: () => number,
  ) {}

  /** Validates, stores and commits a block; a known but uncommitted block is committed again. */
  async addBlock(block: MinorBlock, opts: { skipSeal?: boolean } = {}): Promise<CommittedBlock> {
    const r = await this.chain.addBlock(block, { nowSec: this.clock(), skipSeal: opts.skipSeal });
    await this.commit(r.hash, r.status === 'added' ? r.lists : undefined);
    return {
      status: r.status, hash: r.hash, header: r.header, isTip: keyOf(this.chain.tip.hash) === keyOf(r.hash),
      txCount: block.txs.length, applied: r.applied,
    };
  }

  /** Delivers the block's lists and sets its commit flag; concurrent callers share one commit. */
  commit(hash: Bytes, lists?: ReadonlyMap<number, readonly Deposit[]>): Promise<void> {
    const k = keyOf(hash);
    const node = this.chain.block(hash);
    if (!node || node.committed) return Promise.resolve();
    let p = this.committing.get(k);
    if (!p) {
      p = (async () => {
        const out = lists ?? (await this.chain.emittedLists(hash));
        if (out.size) await this.transport.deliver(hash, out);
        await this.chain.markCommitted(hash);
      })().finally(() => this.committing.delete(k));
      this.committing.set(k, p);
    }
    return p;
  }

  /** After a restart: commit every stored block that was not (re-sending lists idempotently). */
  async recommitAll(): Promise<number> {
    const pending = this.chain.uncommitted();
    for (const n of pending) await this.commit(n.hash);
    return pending.length;
  }

  /** Committed headers on the canonical chain after the root-confirmed block (for the coordinator). */
  committedHeadersSinceConfirmed(): MinorHeader[] {
    const out: MinorHeader[] = [];
    const from = this.chain.confirmedTip.header.height;
    for (let h = from + 1; ; h++) {
      const n = this.chain.canonicalAt(h);
      if (!n || !n.committed) break;
      out.push(n.header);
    }
    return out;
  }
}
