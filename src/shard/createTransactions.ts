/**
 * QuarkChain's `createTransactions` for one shard (interfaces §3, tx_generator.py): the dev
 * accounts sign `count` transfers in this shard's thread, in the background, each to a random
 * dev account, `xShardPercent` % of them to a random other shard. Nonces continue from the tip
 * state; a call made while a run is still going is ignored, as in QuarkChain.
 */
import { keyOf } from '../core/bytes.js';
import { allShardIds, type Config } from '../core/config.js';
import { defaultKeyOf } from '../core/branch.js';
import { devAccounts, type DevAccount } from '../consensus/genesis.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from '../consensus/gas.js';
import { signTx } from '../crypto/keys.js';
import type { CreateTxRequest } from './protocol.js';
import type { ShardChain } from './shardChain.js';

/** Transfers signed per turn before yielding, so the shard keeps serving blocks and queries. */
const BATCH = 64;
/** QuarkChain's random value: 1–100 × 10^15. */
const VALUE_UNIT = 10n ** 15n;
const VALUE_STEPS = 100;
/** QuarkChain caps `numTxPerShard` at its 12,000 loadtest accounts. */
export const MAX_TX_PER_SHARD = 12_000;

export class TxBatchCreator {
  private readonly devs: DevAccount[];
  private readonly others: number[];
  private running = false;
  created = 0;
  rejected = 0;

  constructor(
    private readonly cfg: Config,
    private readonly chain: ShardChain,
    private readonly serial: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {
    this.devs = devAccounts(cfg);
    this.others = allShardIds(cfg).filter((id) => id !== chain.shardId);
  }

  start(req: CreateTxRequest): boolean {
    if (this.running || this.devs.length === 0 || req.count <= 0) return false;
    this.running = true;
    void this.run(req).finally(() => { this.running = false; });
    return true;
  }

  private async run(req: CreateTxRequest): Promise<void> {
    const nonces = new Map<string, number>();
    const count = Math.min(req.count, MAX_TX_PER_SHARD);
    for (let i = 0; i < count; i++) {
      if (i % BATCH === 0) await new Promise((r) => setImmediate(r));
      const from = this.devs[i % this.devs.length]!;
      const to = this.devs[Math.floor(Math.random() * this.devs.length)]!;
      const xshard = this.others.length > 0 && Math.random() * 100 < req.xShardPercent;
      const toShard = xshard ? this.others[Math.floor(Math.random() * this.others.length)]! : this.chain.shardId;
      const k = keyOf(from.recipient);
      const nonce = nonces.get(k) ?? (await this.chain.account(from.recipient)).nonce;
      const value = req.value ?? BigInt(1 + Math.floor(Math.random() * VALUE_STEPS)) * VALUE_UNIT;
      const tx = signTx({
        nonce, gasPrice: req.gasPrice, gasLimit: xshard ? GAS_XSHARD_MIN : GAS_TRANSFER,
        to: { recipient: to.recipient, fullShardKey: defaultKeyOf(toShard) }, value,
        networkId: this.cfg.networkId, fromFullShardKey: defaultKeyOf(this.chain.shardId),
      }, from.privateKey);
      try {
        await this.serial(() => this.chain.addTx(tx, true));
        nonces.set(k, nonce + 1);
        this.created++;
      } catch {
        this.rejected++;
        nonces.delete(k);
      }
    }
  }
}
