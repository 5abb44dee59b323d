/**
 * What `mine`'s live view shows (LiveStatus) and the tracker that builds it from the node's
 * status samples (once a second), its tip events (block times) and its P2P view. Rates are
 * differences of cumulative counters over sliding windows; nothing here prints.
 */
import { hexId } from '../core/branch.js';
import type { NodeStatus } from '../cluster/coordinator.js';
import { RateWindow } from '../cluster/rateWindow.js';
import { SpeedMeter } from '../miner/speed.js';

/** How a chain is sealed: hashed here, simulated (no hashing), or by external miners. */
export type Sealing = 'hashing' | 'simulated' | 'remote';

export interface ChainLive {
  /** `root`, or the full shard id (`0x5`). */
  readonly name: string;
  readonly height: number;
  readonly difficulty: bigint;
  /** Mean interval of the last tip blocks seen since start; null before two. */
  readonly avgBlockSec: number | null;
  /** Seconds since the tip's timestamp; null while the tip is the genesis block. */
  readonly lastBlockAgeSec: number | null;
  readonly hashrate10s: number;
  readonly sealing: Sealing;
  /** null on the root chain (no transfers, pool or deposits). */
  readonly tps: number | null;
  readonly pool: number | null;
  readonly pendingDeposits: number | null;
}

export interface LiveStatus {
  readonly uptimeSec: number;
  /** null without P2P. */
  readonly peers: number | null;
  readonly syncing: boolean;
  /** Whole-node hash rate over 10 s, 60 s and 15 min; null until that much time was seen. */
  readonly hashrate: readonly [number | null, number | null, number | null];
  /** `hashing` when some chain hashes here. */
  readonly sealing: Sealing;
  readonly blocksMined: number;
  readonly txsConfirmed: number;
  readonly tps: number;
  readonly root: ChainLive;
  readonly shards: readonly ChainLive[];
}

/** Windows of the totals line, in seconds (xmrig's 10 s / 60 s / 15 min). */
const WINDOWS_SEC = [10, 60, 900] as const;
const HASH_WINDOW_SEC = 10;
/** TPS over a minute, as QuarkChain's stats. */
const TPS_WINDOW_SEC = 60;
/** Tip timestamps kept per chain for the mean block time. */
const INTERVAL_BLOCKS = 11;
export const ROOT_NAME = 'root';

export interface P2pState { readonly peers: number | null; readonly syncing: boolean }

export class LiveTracker {
  private readonly t0Ms: number;
  private readonly total = new SpeedMeter();
  private readonly hashes = new Map<string, RateWindow>();
  private readonly txs = new Map<string, RateWindow>();
  private readonly allTxs = new RateWindow(TPS_WINDOW_SEC);
  private readonly times = new Map<string, number[]>();

  /** `sealing(name)`: how chain `name` (`root` or a full shard id) is sealed. */
  constructor(private readonly sealing: (name: string) => Sealing, nowMs = Date.now()) {
    this.t0Ms = nowMs;
  }

  /** A new tip on `name` with timestamp `createTime` (coordinator events `block` with isTip, `rootTip`). */
  tip(name: string, createTime: number): void {
    const l = this.times.get(name) ?? [];
    if (l.length && l[l.length - 1]! >= createTime) return;
    l.push(createTime);
    if (l.length > INTERVAL_BLOCKS) l.shift();
    this.times.set(name, l);
  }

  private window(map: Map<string, RateWindow>, name: string, windowSec: number): RateWindow {
    let w = map.get(name);
    if (!w) { w = new RateWindow(windowSec); map.set(name, w); }
    return w;
  }

  sample(s: NodeStatus, nowMs = Date.now()): void {
    const t = (nowMs - this.t0Ms) / 1000;
    this.total.sample(t, s.root.hashes + s.shards.reduce((a, sh) => a + sh.hashes, 0));
    this.window(this.hashes, ROOT_NAME, HASH_WINDOW_SEC).add(t, s.root.hashes);
    for (const sh of s.shards) {
      this.window(this.hashes, hexId(sh.shardId), HASH_WINDOW_SEC).add(t, sh.hashes);
      this.window(this.txs, hexId(sh.shardId), TPS_WINDOW_SEC).add(t, sh.txsConfirmed);
    }
    this.allTxs.add(t, s.shards.reduce((a, sh) => a + sh.txsConfirmed, 0));
  }

  private avg(name: string): number | null {
    const l = this.times.get(name);
    return l && l.length >= 2 ? (l[l.length - 1]! - l[0]!) / (l.length - 1) : null;
  }

  status(s: NodeStatus, p2p: P2pState, nowMs = Date.now()): LiveStatus {
    const age = (height: number, createTime: number): number | null => (height === 0 ? null : Math.max(s.time - createTime, 0));
    const rate = (name: string): number => this.hashes.get(name)?.rate(HASH_WINDOW_SEC) ?? 0;
    const root: ChainLive = {
      name: ROOT_NAME, height: s.root.height, difficulty: s.root.difficulty, avgBlockSec: this.avg(ROOT_NAME),
      lastBlockAgeSec: age(s.root.height, s.root.createTime), hashrate10s: rate(ROOT_NAME), sealing: this.sealing(ROOT_NAME),
      tps: null, pool: null, pendingDeposits: null,
    };
    const shards = s.shards.map((sh): ChainLive => {
      const name = hexId(sh.shardId);
      return {
        name, height: sh.tip.height, difficulty: sh.difficulty, avgBlockSec: this.avg(name), lastBlockAgeSec: age(sh.tip.height, sh.tip.createTime),
        hashrate10s: rate(name), sealing: this.sealing(name), tps: this.txs.get(name)?.rate(TPS_WINDOW_SEC) ?? 0,
        pool: sh.poolSize, pendingDeposits: sh.pendingDeposits,
      };
    });
    const all = [root, ...shards];
    const sealing: Sealing = all.some((c) => c.sealing === 'hashing') ? 'hashing' : all.some((c) => c.sealing === 'remote') ? 'remote' : 'simulated';
    return {
      uptimeSec: Math.max(0, (nowMs - this.t0Ms) / 1000), peers: p2p.peers, syncing: p2p.syncing,
      hashrate: [this.total.rate(WINDOWS_SEC[0]), this.total.rate(WINDOWS_SEC[1]), this.total.rate(WINDOWS_SEC[2])],
      sealing, blocksMined: s.shards.reduce((a, sh) => a + sh.blocksMined, 0),
      txsConfirmed: s.shards.reduce((a, sh) => a + sh.txsConfirmed, 0), tps: this.allTxs.rate(TPS_WINDOW_SEC), root, shards,
    };
  }
}
