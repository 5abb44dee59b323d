/**
 * ShardService: a ShardChain plus the commit protocol (DESIGN §7 step 3). `stage` validates and
 * stores a block and writes its deposit lists into the rings (the caller runs it inside the
 * shard's serialised section: that fixes the ring order); the returned `committed` waits for
 * every destination's ack and then marks the block committed, outside that section, so a slow
 * destination never freezes the source. A block added twice shares one commit (QuarkChain's
 * commit futures), and commits complete in chain order (a block after its parent), so the
 * committed blocks always form a prefix of every branch.
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import type { Deposit } from '../core/deposit.js';
import type { MinorBlock, MinorHeader } from '../core/minorBlock.js';
import type { AppliedDeposit } from '../consensus/applyDeposits.js';
import type { BlockNode } from './blockTree.js';
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

/** A stored block whose lists are written; `committed` settles when its commit does. */
export interface Staged {
  readonly block: CommittedBlock;
  readonly committed: Promise<void>;
}

export interface StageOptions {
  readonly skipSeal?: boolean;
  /** Called once when a block this call added is committed (before `committed` resolves). */
  readonly onCommitted?: (b: CommittedBlock) => void;
}

const DONE = { written: Promise.resolve(), committed: Promise.resolve() };

export class ShardService {
  private readonly committing = new Map<string, Promise<void>>();

  constructor(
    readonly chain: ShardChain,
    private readonly transport: XshardTransport,
    private readonly clock: () => number,
  ) {}

  /** Validates, stores and writes the lists of a block (serialised part); a known but uncommitted block joins its commit. */
  async stage(block: MinorBlock, opts: StageOptions = {}): Promise<Staged> {
    const r = await this.chain.addBlock(block, { nowSec: this.clock(), skipSeal: opts.skipSeal });
    const info: CommittedBlock = {
      status: r.status, hash: r.hash, header: r.header, isTip: keyOf(this.chain.tip.hash) === keyOf(r.hash),
      txCount: block.txs.length, applied: r.applied,
    };
    const added = r.status === 'added';
    const onCommitted = opts.onCommitted;
    const c = this.begin(r.hash, added ? r.lists : undefined, added && onCommitted ? () => onCommitted(info) : undefined);
    await c.written;
    return { block: info, committed: c.committed };
  }

  /** Validates, stores and commits a block (tests, tools: both parts in one call). */
  async addBlock(block: MinorBlock, opts: { skipSeal?: boolean } = {}): Promise<CommittedBlock> {
    const s = await this.stage(block, opts);
    await s.committed;
    return s.block;
  }

  /** Delivers the block's lists and sets its commit flag; concurrent callers share one commit. */
  commit(hash: Bytes, lists?: ReadonlyMap<number, readonly Deposit[]>): Promise<void> {
    return this.begin(hash, lists).committed;
  }

  private begin(hash: Bytes, lists?: ReadonlyMap<number, readonly Deposit[]>, onCommitted?: () => void): { written: Promise<void>; committed: Promise<void> } {
    const k = keyOf(hash);
    const node = this.chain.block(hash);
    if (!node || node.committed) return DONE;
    const pending = this.committing.get(k);
    if (pending) return { written: Promise.resolve(), committed: pending };
    const written = (async () => {
      const out = lists ?? (await this.chain.emittedLists(hash));
      return out.size ? this.transport.send(hash, out) : null;
    })();
    const parent = node.parent ? this.committing.get(node.parent.key) : undefined;
    const committed = (async () => {
      const delivery = await written;
      if (delivery) await delivery.acked;
      if (parent) await parent;
      await this.chain.markCommitted(hash);
      onCommitted?.();
    })().finally(() => this.committing.delete(k));
    // Handled here too: a failed commit rejects its awaiting callers, never the process.
    committed.catch(() => undefined);
    this.committing.set(k, committed);
    return { written: written.then(() => undefined), committed };
  }

  /** After a restart: commit every stored block that was not (re-sending lists idempotently). */
  async recommitAll(): Promise<number> {
    const pending = this.chain.uncommitted();
    for (const n of pending) await this.commit(n.hash);
    return pending.length;
  }

  /** Committed blocks on the canonical chain after the root-confirmed block, oldest first. */
  committedSinceConfirmed(): BlockNode[] {
    const out: BlockNode[] = [];
    const from = this.chain.confirmedTip.header.height;
    for (let h = from + 1; ; h++) {
      const n = this.chain.canonicalAt(h);
      if (!n || !n.committed) break;
      out.push(n);
    }
    return out;
  }

  /** Their headers (for the coordinator). */
  committedHeadersSinceConfirmed(): MinorHeader[] {
    return this.committedSinceConfirmed().map((n) => n.header);
  }
}
