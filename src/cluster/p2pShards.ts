/**
 * The shard half of P2P for a running coordinator (DESIGN §10, QuarkChain's `Shard` network
 * half): new shard blocks announced as they are made and taken through the fast path
 * (p2p/relay/blockRelay.ts), shard tips announced and synced beyond what root blocks confirm
 * (p2p/sync/shardSynchronizer.ts, sealing of a syncing shard held), and transfers relayed
 * (p2p/relay/txRelay.ts). Owned by P2pNode, which routes peers' messages here.
 */
import { keyOf, toHex, type Bytes } from '../core/bytes.js';
import { ChainError } from '../core/errors.js';
import { decodeMinorBlock, decodeMinorHeader, encodeMinorBlock, minorHeaderHash, type MinorBlock, type MinorHeader } from '../core/minorBlock.js';
import { rootHeaderHash, type RootHeader } from '../core/rootBlock.js';
import type { Network } from '../p2p/network.js';
import type { Announcement, Peer } from '../p2p/peer.js';
import type { PeerFault } from '../p2p/peerFault.js';
import { BlockRelay } from '../p2p/relay/blockRelay.js';
import { TX_RELAY_FLUSH_MS, TxRelay } from '../p2p/relay/txRelay.js';
import { PeerSyncSource } from '../p2p/sync/peerSyncSource.js';
import { ShardSynchronizer } from '../p2p/sync/shardSynchronizer.js';
import type { ShardSyncTarget } from '../p2p/sync/syncShardTask.js';
import type { Coordinator } from './coordinator.js';

export const peerKey = (p: Peer): string => toHex(p.nodeId!);

/** What ShardP2p needs of the P2P node that owns it. */
export interface ShardP2pHost {
  readonly network: () => Network;
  readonly peer: (id: string) => Peer | undefined;
  readonly log: (line: string) => void;
  /**
   * True while a root sync task runs: the shard tips it brings are announced at its end
   * (`announceTips`), and the peers' shard tips offered to shard sync then (`offerTips`), not block by block.
   */
  readonly rootSyncing: () => boolean;
}

export class ShardP2p {
  readonly blocks: BlockRelay;
  readonly txs: TxRelay;
  readonly sync: ShardSynchronizer;
  /** Per shard: the tip we last told anyone, and under which root tip (announcements must be monotonic per peer). */
  private readonly told = new Map<number, { readonly rootKey: string; readonly tip: MinorHeader }>();
  /**
   * Per peer, its latest tip of each shard: one on a root block we lack is of no use yet, so the
   * tips are offered to shard sync again on each new root tip outside a root sync, and at each root
   * sync task's end (a node that joins late gets its peers' shard tips in their HELLO, before root
   * sync brings the root blocks they build on).
   */
  private readonly peerTips = new Map<string, { readonly peer: Peer; readonly tips: Map<number, MinorHeader> }>();
  private readonly unhook: (() => void)[] = [];
  private flushTimer: NodeJS.Timeout | undefined;

  constructor(private readonly c: Coordinator, private readonly h: ShardP2pHost) {
    this.blocks = new BlockRelay({
      shardSyncing: (s) => this.sync.syncing(s),
      shardTipHeight: (s) => c.shardTipHeader(s).height,
      hasBlock: (_s, hash) => c.root.isCommitted(hash),
      hasRootBlock: (hash) => c.rootBlockByHash(hash) !== undefined,
      checkHeader: async (s, b) => { await c.shard(s).checkNewBlock(encodeMinorBlock(b)); },
      add: async (s, b) => { await c.addShardBlock(s, encodeMinorBlock(b)); },
      relay: (s, b, except) => { h.network().broadcast({ type: 'NEW_SHARD_BLOCK', shardId: s, block: b }, except ? h.peer(except) : undefined); },
      fetchBlock: (id, s, hash) => this.fetchBlock(id, s, hash),
      fault: (id, f) => this.fault(id, f, 'relay'),
      log: h.log,
      now: Date.now,
    });
    this.txs = new TxRelay({
      peers: () => h.network().peers().map(peerKey),
      send: (id, s, txs) => { h.peer(id)?.announce({ type: 'NEW_TRANSACTIONS', shardId: s, txs }); },
      admit: async (s, txs) => {
        if (!c.hasShard(s)) return { accepted: [], invalid: txs.length };
        const r = await c.shard(s).addTxs([...txs]);
        return { accepted: r.accepted.map((i) => txs[i]!), invalid: r.invalid };
      },
      fault: (id, f) => this.fault(id, f, 'transfers'),
      now: Date.now,
    });
    const target: ShardSyncTarget = {
      hasMinorBlock: (hash) => c.root.isCommitted(hash),
      hasRootBlock: (hash) => c.rootBlockByHash(hash) !== undefined,
      shardTipHeight: (s) => c.shardTipHeader(s).height,
      addMinorBlocks: (s, blocks) => c.addShardBlocksForSync(s, blocks.map(encodeMinorBlock)),
    };
    this.sync = new ShardSynchronizer(target, {
      onFault: (id, f) => this.fault(id, f, 'shard sync'),
      onSyncing: (s, on) => { c.holdSealing(s, on).catch((e: unknown) => h.log(`p2p: shard 0x${s.toString(16)} sealing hold: ${ChainError.from(e).message}`)); },
      onResult: (id, s, tip, r) => {
        if (r.outcome.kind === 'synced') h.log(`p2p: shard 0x${s.toString(16)} synced to height ${tip.height} from ${this.h.peer(id) ?? id.slice(0, 10)} (${r.stats.minorBlocks} blocks)`);
      },
    });
  }

  /** Hooks into the coordinator: shards report admitted transfers and sealed blocks; tips and blocks are announced. */
  async start(): Promise<void> {
    const c = this.c;
    this.unhook.push(
      c.events.on('block', (s, ev) => {
        this.blocks.onBlockStored(minorHeaderHash(decodeMinorHeader(ev.header)));
        if (ev.isTip && !this.h.rootSyncing()) this.announceTip(s);
      }),
      c.events.on('sealedBlock', (s, bytes) => this.blocks.onLocalBlock(s, decodeMinorBlock(bytes))),
      c.events.on('txs', (s, txs) => this.txs.onAccepted(s, txs)),
      c.events.on('rootTip', (rb) => {
        this.blocks.onRootBlock(rootHeaderHash(rb.header));
        // A root sync brings the shard blocks its root blocks list: the tips are offered at its end (offerTips), not at each of its blocks.
        if (!this.h.rootSyncing()) this.offerTips();
      }),
    );
    this.flushTimer = setInterval(() => this.txs.flush(), TX_RELAY_FLUSH_MS);
    await c.setRelay(true);
  }

  /** The tip of shard `s` to tell peers now: the coordinator's, unless that would go below what we told under the same root tip. */
  tipFor(s: number): MinorHeader {
    const rootKey = this.c.rootTip().key;
    const now = this.c.shardTipHeader(s);
    const prev = this.told.get(s);
    if (prev && prev.rootKey === rootKey && now.height < prev.tip.height) return prev.tip;
    this.told.set(s, { rootKey, tip: now });
    return now;
  }

  /** A peer's HELLO passed: its shard tips may start shard syncs. */
  onPeer(peer: Peer): void {
    for (const tip of peer.hello!.shardTips) this.onPeerTip(peer, tip);
  }

  /** A peer's announcement about shards (NEW_ROOT_TIP is root sync's). */
  onAnnounce(peer: Peer, msg: Announcement): void {
    const id = peerKey(peer);
    if (msg.type === 'NEW_SHARD_TIP') this.onPeerTip(peer, msg.shardTip);
    else if (msg.type === 'NEW_SHARD_BLOCK') void this.blocks.onPeerBlock(id, msg.shardId, msg.block);
    else if (msg.type === 'NEW_TRANSACTIONS') {
      this.txs.onPeerTxs(id, msg.shardId, msg.txs).catch((e: unknown) => this.h.log(`p2p: transfers from ${peer}: ${ChainError.from(e).message}`));
    }
  }

  onPeerClosed(peer: Peer): void {
    const id = peerKey(peer);
    if (this.peerTips.get(id)?.peer === peer) this.peerTips.delete(id);
    this.sync.removePeer(id);
    this.txs.onPeerClosed(id);
  }

  async close(): Promise<void> {
    clearInterval(this.flushTimer);
    for (const off of this.unhook.splice(0)) off();
    await this.c.setRelay(false).catch(() => undefined);
  }

  private onPeerTip(peer: Peer, tip: MinorHeader): void {
    if (!this.c.hasShard(tip.branch)) return;
    const id = peerKey(peer);
    let known = this.peerTips.get(id);
    if (known?.peer !== peer) this.peerTips.set(id, (known = { peer, tips: new Map() }));
    known.tips.set(tip.branch, tip);
    this.offerTip(peer, tip);
  }

  /** A tip the fast path is adding (or added, or refused) needs no sync. */
  private offerTip(peer: Peer, tip: MinorHeader): void {
    if (this.blocks.tookUp(minorHeaderHash(tip))) return;
    this.sync.onPeerTip(peerKey(peer), new PeerSyncSource(peer), tip);
  }

  /** Every peer's shard tips, to the shard synchronizer: those on a root block we now store start shard syncs (a new root tip, a root sync task's end). */
  offerTips(): void {
    for (const { peer, tips } of this.peerTips.values()) for (const tip of tips.values()) this.offerTip(peer, tip);
  }

  /** Every shard's tip, where it changed since last told (after a root sync task). */
  announceTips(): void {
    for (const s of this.c.shardIds) this.announceTip(s);
  }

  private announceTip(s: number): void {
    const before = this.told.get(s)?.tip;
    const tip = this.tipFor(s);
    if (before && keyOf(minorHeaderHash(before)) === keyOf(minorHeaderHash(tip))) return;
    const rootTip: RootHeader = this.c.rootTip().block.header;
    this.h.network().broadcast({ type: 'NEW_SHARD_TIP', shardId: s, rootTip, shardTip: tip });
  }

  /** A parent the fast path lacks, asked of the peer that sent the child. */
  private fetchBlock(id: string, s: number, hash: Bytes): void {
    const peer = this.h.peer(id);
    if (!peer) return;
    peer.request({ type: 'GET_SHARD_BLOCKS', shardId: s, hashes: [hash] }).then((r) => {
      if (r.type !== 'SHARD_BLOCKS') return;
      for (const b of r.blocks) void this.blocks.onPeerBlock(id, s, b as MinorBlock);
    }, () => undefined); // the peer's transport reports its own faults
  }

  private fault(id: string, f: PeerFault, what: string): void {
    const peer = this.h.peer(id);
    this.h.log(`p2p: ${what} from ${peer ?? id.slice(0, 10)}: ${f.fault}${f.fatal ? ' (banned)' : ''}: ${f.detail}`);
    if (peer) this.h.network().penalise(peer, f);
  }
}
