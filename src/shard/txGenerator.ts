/**
 * Signed transfers between the dev accounts, generated inside the shard's own thread (signing
 * stays off the coordinator): `mine --tx-rate` uses it so a local chain shows traffic, half of
 * it cross-shard. Nonces are tracked locally and re-read from the tip state when a tx is refused.
 */
import { keyOf } from '../core/bytes.js';
import { allShardIds, type Config } from '../core/config.js';
import { defaultKeyOf } from '../core/branch.js';
import { devAccounts, type DevAccount } from '../consensus/genesis.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from '../consensus/gas.js';
import { signTx } from '../crypto/keys.js';
import type { ShardChain } from './shardChain.js';

/** Generation ticks per second: small bursts keep the rate smooth without a timer per tx. */
const TICKS_PER_SECOND = 10;
/** Share of generated transfers that cross shards (DESIGN §12: half). */
const XSHARD_SHARE = 0.5;
/** 1 gwei: a gas price every default configuration accepts. */
const GAS_PRICE = 1_000_000_000n;

export class TxGenerator {
  private timer: NodeJS.Timeout | null = null;
  private readonly devs: DevAccount[];
  private readonly shards: number[];
  private readonly nonces = new Map<string, number>();
  private next = 0;
  private carry = 0;
  submitted = 0;
  rejected = 0;

  constructor(
    private readonly cfg: Config,
    private readonly chain: ShardChain,
    private readonly serial: <T>(fn: () => Promise<T>) => Promise<T>,
  ) {
    this.devs = devAccounts(cfg);
    this.shards = allShardIds(cfg);
  }

  setRate(perSecond: number): void {
    if (this.timer) { clearInterval(this.timer); this.timer = null; }
    if (perSecond <= 0 || this.devs.length < 2) return;
    const perTick = perSecond / TICKS_PER_SECOND;
    this.timer = setInterval(() => {
      this.carry += perTick;
      const n = Math.floor(this.carry);
      this.carry -= n;
      if (n > 0) void this.burst(n);
    }, 1000 / TICKS_PER_SECOND);
  }

  private async burst(n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const from = this.devs[this.next++ % this.devs.length]!;
      const toDev = this.devs[(this.next + i) % this.devs.length]!;
      const xshard = this.shards.length > 1 && Math.random() < XSHARD_SHARE;
      const others = this.shards.filter((s) => s !== this.chain.shardId);
      const toShard = xshard ? others[Math.floor(Math.random() * others.length)]! : this.chain.shardId;
      const k = keyOf(from.recipient);
      const nonce = this.nonces.get(k) ?? (await this.chain.account(from.recipient)).nonce;
      const tx = signTx({
        nonce, gasPrice: GAS_PRICE, gasLimit: xshard ? GAS_XSHARD_MIN : GAS_TRANSFER,
        to: { recipient: toDev.recipient, fullShardKey: defaultKeyOf(toShard) }, value: 1n,
        networkId: this.cfg.networkId, fromFullShardKey: defaultKeyOf(this.chain.shardId),
      }, from.privateKey);
      try {
        await this.serial(() => this.chain.addTx(tx));
        this.nonces.set(k, nonce + 1);
        this.submitted++;
      } catch {
        this.rejected++;
        this.nonces.delete(k); // re-read the nonce from the tip next time
      }
    }
  }
}
