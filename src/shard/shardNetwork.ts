/**
 * A shard's side of P2P (DESIGN §10), owned by its ShardHost: the fast path's header check,
 * serving headers, admitting relayed transfers in one serialised batch, and — with relay on —
 * the outbox of transfers admitted here by other paths (RPC, createTransactions, `--tx-rate`),
 * which the coordinator collects with the events and relays. Also the sealing hold of a shard
 * that syncs.
 */
import type { Bytes } from '../core/bytes.js';
import { ChainError, codeInfo } from '../core/errors.js';
import { decodeTx, encodeTx, type Transaction } from '../core/transaction.js';
import { checkNewBlock, shardHeaders } from './networkQueries.js';
import type { NewBlockCheck, ShardHeaderQuery, ShardHeadersReply, TxBatchResult } from './protocol.js';
import type { ShardChain } from './shardChain.js';

/** Transfers kept for the coordinator between polls (~1.4 MB); past it the oldest go: relay is best effort, the pool keeps them. */
export const MAX_RELAY_OUTBOX = 8_192;

const nowSec = (): number => Math.floor(Date.now() / 1000);

export class ShardNetwork {
  /** Relay on: admitted transfers go to the outbox, sealed blocks carry their bytes. */
  relay = false;
  /** Local sealing waits while the shard syncs. */
  sealingHeld = false;
  private outbox: Bytes[] = [];
  /** True while a relayed batch is admitted: those came from a peer, the coordinator relays them itself. */
  private admittingRelayed = false;

  /** `nudge` wakes the coordinator's long poll when the outbox gets its first transfer. */
  constructor(private readonly chain: ShardChain, private readonly serial: <T>(fn: () => Promise<T>) => Promise<T>, private readonly nudge: () => void) {
    chain.onAdmitted = (tx) => this.onAdmitted(tx);
  }

  checkNewBlock(block: Bytes): NewBlockCheck {
    return checkNewBlock(this.chain, block, nowSec());
  }

  shardHeaders(q: ShardHeaderQuery): ShardHeadersReply {
    return shardHeaders(this.chain, q);
  }

  addTxs(txs: Bytes[]): Promise<TxBatchResult> {
    return this.serial(async () => {
      const accepted: number[] = [];
      let invalid = 0;
      const refused = (e: unknown): void => {
        const err = ChainError.from(e);
        if (err.cls === 'invalid' && !codeInfo(err.code)?.honestRelay) invalid++;
      };
      const decoded: Array<{ readonly i: number; readonly tx: Transaction }> = [];
      for (const [i, bytes] of txs.entries()) {
        try {
          decoded.push({ i, tx: decodeTx(bytes) });
        } catch (e) {
          refused(e);
        }
      }
      this.admittingRelayed = true;
      try {
        // One admission call over one tip state, as the stress generator's batches (no await per transfer).
        const results = await this.chain.addTxs(decoded.map((d) => d.tx));
        results.forEach((r, k) => (r instanceof ChainError ? refused(r) : accepted.push(decoded[k]!.i)));
      } finally {
        this.admittingRelayed = false;
      }
      return { accepted, invalid };
    });
  }

  /** What the outbox holds, emptied. */
  takeOutbox(): Bytes[] {
    const out = this.outbox;
    this.outbox = [];
    return out;
  }

  get hasOutbox(): boolean {
    return this.outbox.length > 0;
  }

  private onAdmitted(tx: Transaction): void {
    if (!this.relay || this.admittingRelayed) return;
    if (this.outbox.length >= MAX_RELAY_OUTBOX) this.outbox.splice(0, this.outbox.length - MAX_RELAY_OUTBOX + 1);
    this.outbox.push(encodeTx(tx));
    if (this.outbox.length === 1) this.nudge();
  }
}
