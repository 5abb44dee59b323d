/**
 * The whole node's status in one message (the dashboard, `subscribe('nodeStatus')`,
 * `getNodeStatus`, `/metrics`): sampled from `Coordinator.status()` once a second and from the
 * coordinator's events (block intervals, latest blocks, deposits), with a short history for
 * charts. One feed per RPC service; it holds only small bounded buffers.
 */
import { hexId } from '../../core/branch.js';
import { toHex } from '../../core/bytes.js';
import { decodeMinorBlock, decodeMinorHeader, minorHeaderHash } from '../../core/minorBlock.js';
import { rootHeaderHash, type RootBlock } from '../../core/rootBlock.js';
import type { Coordinator, NodeStatus } from '../../cluster/coordinator.js';
import { RateWindow } from '../../cluster/rateWindow.js';
import type { BlockEvent } from '../../shard/protocol.js';
import { idHex } from '../encode.js';
import { countByDestination, XshardFlows } from './xshardFlows.js';

/** One status sample a second, as `mine`'s own sampler. */
export const SAMPLE_MS = 1000;
/** History points kept for charts: five minutes at one a second. */
export const HISTORY_POINTS = 300;
/** Latest blocks listed (all chains). */
const LATEST_BLOCKS = 24;
/** Block times kept per chain for the mean interval. */
const INTERVAL_BLOCKS = 11;
/** Rates (hash rate, TPS, deposits) over this window. */
const RATE_WINDOW_SEC = 10;
/** Shard block bodies read at once for the heatmap; beyond it a block is left out of it. */
const MAX_BODY_READS = 8;

export const ROOT = 'root';

export interface ChainRow { chain: string; height: number; hash: string; lastBlockAge: number; blockInterval: number | null; hashrate: number; tps: number | null; pool: number | null; pendingDeposits: number | null; mined: number | null; syncing: boolean }
export interface HistoryPoint { time: number; hashrate: number[]; tps: number[]; interval: (number | null)[]; depositsSent: number; depositsApplied: number }
export interface LatestBlock { chain: string; height: number; hash: string; id: string; time: number; txs: number; deposits: number }
export interface NodeStatusMessage {
  time: number; chains: ChainRow[]; point: HistoryPoint; latest: LatestBlock[];
  xshard: { shards: string[]; rootBlocks: number; matrix: number[][]; sentTotal: number[] };
  peers: { id: string; address: string; direction: string; rootHeight: number | null; shardHeights: number[] }[];
  totals: { depositsSent: number; depositsApplied: number };
}

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

export class StatusFeed {
  private readonly hashes = new Map<string, RateWindow>();
  private readonly txs = new Map<string, RateWindow>();
  private readonly times = new Map<string, number[]>();
  private readonly sent = new RateWindow();
  private readonly applied = new RateWindow();
  private readonly flows: XshardFlows;
  private readonly history: HistoryPoint[] = [];
  private readonly listeners = new Set<(m: NodeStatusMessage, s: NodeStatus) => void>();
  private readonly offs: (() => void)[];
  private latest: LatestBlock[] = [];
  private depositsSent = 0;
  private readonly sentBy = new Map<number, number>();
  private depositsApplied = 0;
  private bodyReads = 0;
  private timer: NodeJS.Timeout | null = null;
  private last: NodeStatusMessage | null = null;

  constructor(private readonly c: Coordinator, private readonly sampleMs = SAMPLE_MS) {
    this.flows = new XshardFlows(c.shardIds);
    this.offs = [
      c.events.on('block', (id: number, ev: BlockEvent) => this.onBlock(id, ev)),
      c.events.on('rootTip', (rb: RootBlock) => this.onRoot(rb)),
    ];
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => { void this.sample().catch(() => undefined); }, this.sampleMs);
    this.timer.unref();
  }

  /** Calls `fn` with every new sample; returns its unsubscribe. */
  onSample(fn: (m: NodeStatusMessage, s: NodeStatus) => void): () => void {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  }

  /** The latest message (sampling now if none yet) and the history, oldest first. */
  async snapshot(): Promise<{ status: NodeStatusMessage; history: HistoryPoint[] }> {
    const status = this.last ?? await this.sample();
    return { status, history: [...this.history] };
  }

  private pushTime(chain: string, t: number): void {
    const l = this.times.get(chain) ?? [];
    l.push(t);
    if (l.length > INTERVAL_BLOCKS) l.shift();
    this.times.set(chain, l);
  }

  private pushLatest(b: LatestBlock): void {
    this.latest = [b, ...this.latest].slice(0, LATEST_BLOCKS);
  }

  private onBlock(id: number, ev: BlockEvent): void {
    this.depositsApplied += ev.appliedDeposits;
    const h = decodeMinorHeader(ev.header);
    const hash = minorHeaderHash(h);
    if (ev.isTip) {
      this.pushTime(hexId(id), h.createTime);
      this.pushLatest({ chain: hexId(id), height: h.height, hash: toHex(hash), id: idHex(hash, h.branch), time: h.createTime, txs: ev.txCount, deposits: ev.appliedDeposits });
    }
    if (ev.txCount === 0 || this.bodyReads >= MAX_BODY_READS) return;
    this.bodyReads++;
    void this.c.shard(id).minorBlock({ hash }).then((r) => {
      if (!r) return;
      const counts = countByDestination(this.c.config, id, decodeMinorBlock(r.block).txs);
      for (const n of counts.values()) { this.depositsSent += n; this.sentBy.set(id, (this.sentBy.get(id) ?? 0) + n); }
      this.flows.addShardBlock(id, hash, counts);
    }).catch(() => undefined).finally(() => { this.bodyReads--; });
  }

  private onRoot(rb: RootBlock): void {
    const h = rb.header;
    this.pushTime(ROOT, h.createTime);
    const hash = toHex(rootHeaderHash(h));
    this.pushLatest({ chain: ROOT, height: h.height, hash, id: hash, time: h.createTime, txs: rb.minorHeaders.length, deposits: 0 });
    this.flows.addRootBlock(rb);
  }

  private interval(chain: string): number | null {
    const l = this.times.get(chain);
    if (!l || l.length < 2) return null;
    return round((l[l.length - 1]! - l[0]!) / (l.length - 1));
  }

  private rate(map: Map<string, RateWindow>, chain: string, t: number, v: number): number {
    let w = map.get(chain);
    if (!w) { w = new RateWindow(); map.set(chain, w); }
    w.add(t, v);
    return w.rate(RATE_WINDOW_SEC);
  }

  /** Samples the node once, records a history point and tells the listeners. */
  async sample(nowMs = Date.now()): Promise<NodeStatusMessage> {
    const s = await this.c.status();
    const t = nowMs / 1000;
    const syncing = this.c.p2p.syncing();
    const rootTip = this.c.rootTip();
    const chains: ChainRow[] = [{
      chain: ROOT, height: s.root.height, hash: toHex(s.root.hash), lastBlockAge: Math.max(s.time - rootTip.block.header.createTime, 0),
      blockInterval: this.interval(ROOT), hashrate: Math.round(this.rate(this.hashes, ROOT, t, s.root.hashes)), tps: null, pool: null, pendingDeposits: null, mined: null, syncing,
    }];
    for (const sh of s.shards) {
      const chain = hexId(sh.shardId);
      chains.push({
        chain, height: sh.tip.height, hash: toHex(sh.tip.hash), lastBlockAge: Math.max(s.time - sh.tip.createTime, 0), blockInterval: this.interval(chain),
        hashrate: Math.round(this.rate(this.hashes, chain, t, sh.hashes)), tps: round(this.rate(this.txs, chain, t, sh.txsConfirmed)),
        pool: sh.poolSize, pendingDeposits: sh.pendingDeposits, mined: sh.blocksMined, syncing,
      });
    }
    this.sent.add(t, this.depositsSent);
    this.applied.add(t, this.depositsApplied);
    const point: HistoryPoint = {
      time: Math.round(t), hashrate: chains.map((r) => r.hashrate), tps: chains.map((r) => r.tps ?? 0), interval: chains.map((r) => r.blockInterval),
      depositsSent: round(this.sent.rate(RATE_WINDOW_SEC)), depositsApplied: round(this.applied.rate(RATE_WINDOW_SEC)),
    };
    this.history.push(point);
    if (this.history.length > HISTORY_POINTS) this.history.shift();
    const peers = this.c.p2p.peerInfo().map((p) => ({
      id: `0x${p.id}`, address: p.address, direction: p.direction, rootHeight: p.tips.root?.height ?? null, shardHeights: p.tips.shards.map((x) => x.height),
    }));
    const m: NodeStatusMessage = {
      time: s.time, chains, point, latest: this.latest, peers,
      xshard: { shards: this.c.shardIds.map(hexId), rootBlocks: this.flows.rootBlocks, matrix: this.flows.matrix(), sentTotal: this.c.shardIds.map((id) => this.sentBy.get(id) ?? 0) },
      totals: { depositsSent: this.depositsSent, depositsApplied: this.depositsApplied },
    };
    this.last = m;
    for (const fn of this.listeners) fn(m, s);
    return m;
  }

  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    for (const off of this.offs.splice(0)) off();
    this.listeners.clear();
  }
}
