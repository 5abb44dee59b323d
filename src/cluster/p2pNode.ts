/**
 * P2P for a running Coordinator (DESIGN §1, §10): the ws Network on 127.0.0.1, a RootSynchronizer
 * adding through the coordinator's own paths (p2pServe.ts), the answers to peers' requests, a
 * NEW_ROOT_TIP broadcast on every new root tip, and the configured peers, dialled again while they
 * are not connected. While a sync task runs the coordinator seals no root block, and the tips it
 * adds are not announced one by one (go-ethereum and Lodestar do not gossip what they sync: on a
 * catch-up that is a message per block to every peer, costing them and us): the task's end
 * announces the root tip and the shard tips reached, once.
 *
 * The shard half (new shard blocks, shard tips and shard sync, transfer relay) is ShardP2p
 * (p2pShards.ts); announcements other than NEW_ROOT_TIP go there.
 */
import { randomBytes } from 'node:crypto';
import { equalBytes, type Bytes } from '../core/bytes.js';
import { ChainError, internal, invalid } from '../core/errors.js';
import { rootHeaderHash, type RootBlock, type RootHeader } from '../core/rootBlock.js';
import { NODE_ID_LEN } from '../p2p/limits.js';
import { Network, type NetworkHandler } from '../p2p/network.js';
import type { Peer, PeerTimings } from '../p2p/peer.js';
import type { BudgetLimits } from '../p2p/peerBudget.js';
import type { PeerFault } from '../p2p/peerFault.js';
import { firstHeaderLimit } from '../p2p/sync/downloadHeaders.js';
import { sendHeadStart, type HeadStart } from '../p2p/sync/headStart.js';
import { PeerSyncSource } from '../p2p/sync/peerSyncSource.js';
import { DEFAULT_SYNC_OPTIONS } from '../p2p/sync/syncOptions.js';
import { RootSynchronizer } from '../p2p/sync/rootSynchronizer.js';
import type { SyncResult } from '../p2p/sync/syncOutcome.js';
import type { SyncRootOptions } from '../p2p/sync/syncRootTask.js';
import type { Coordinator } from './coordinator.js';
import type { P2pSlot, P2pView } from './p2pView.js';
import { coordinatorSyncTarget, localNode, serveRequest } from './p2pServe.js';
import { peerKey, ShardP2p } from './p2pShards.js';

/** QuarkChain's default P2P port (DESIGN §12: RPC 38391/38491, P2P 38291). */
export const DEFAULT_P2P_PORT = 38291;
/** Nodes are local (DESIGN §12): the listener binds the loopback address. */
export const DEFAULT_P2P_HOST = '127.0.0.1';
/** A configured peer that is not connected is dialled again this often (it may start later, or have restarted). */
export const REDIAL_MS = 5_000;
/** `close` waits at most this long for a running sync task to end once its peers are gone. */
const CLOSE_SYNC_WAIT_MS = 10_000;
const MAX_PORT = 65_535;

const nowSec = (): number => Math.floor(Date.now() / 1000);

export interface P2pOptions {
  readonly host?: string;
  /** 0 binds a free port (see `port`). */
  readonly port: number;
  /** Peers to dial and keep dialling, as `ws://host:port`. */
  readonly peers?: readonly string[];
  readonly log?: (line: string) => void;
  readonly timings?: Partial<PeerTimings>;
  /** What each peer may ask of this node (p2p/peerBudget.ts DEFAULT_BUDGET unless told: tests and benches shrink it). */
  readonly budget?: BudgetLimits;
  readonly sync?: SyncRootOptions;
  readonly redialMs?: number;
  /** The coordinator's view of P2P (its `p2p` option): filled while this node runs, emptied on close. */
  readonly slot?: P2pSlot;
}

export interface PeerAddress {
  readonly host: string;
  readonly port: number;
}

/** `ws://host:port` as a dialable address; anything else is a usage error. */
export function parsePeerUrl(url: string): PeerAddress {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid('BAD_FLAG', `--peer must look like ws://127.0.0.1:38291, got '${url}'`);
  }
  const port = Number(u.port);
  if (u.protocol !== 'ws:' || !u.hostname || !Number.isInteger(port) || port < 1 || port > MAX_PORT || (u.pathname !== '/' && u.pathname !== '')) {
    throw invalid('BAD_FLAG', `--peer must look like ws://127.0.0.1:38291 (ws, a host and a port), got '${url}'`);
  }
  return { host: u.hostname, port };
}

const plural = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

export class P2pNode {
  readonly sync: RootSynchronizer;
  /** Shard blocks, shard tips and transfers (p2pShards.ts). */
  readonly shards: ShardP2p;
  private network!: Network;
  private readonly log: (line: string) => void;
  /** Handshaken peers by node id (hex), for penalising after a sync fault. */
  private readonly peersById = new Map<string, Peer>();
  /** Head starts sent behind our HELLO, until the peer's HELLO hands them to its sync source (headStart.ts). */
  private readonly headStarts = new WeakMap<Peer, HeadStart>();
  private readonly headStartLimit: number;
  private readonly targets: { readonly url: string; readonly addr: PeerAddress; peer?: Peer; dialling: boolean; lastError?: string }[];
  /** Undo the hooks into the coordinator (root tip events, the P2P slot). */
  private readonly unhook: (() => void)[] = [];
  private redialTimer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(private readonly c: Coordinator, private readonly o: P2pOptions) {
    this.log = o.log ?? (() => undefined);
    this.headStartLimit = firstHeaderLimit({ ...DEFAULT_SYNC_OPTIONS, ...o.sync });
    this.targets = (o.peers ?? []).map((url) => ({ url, addr: parsePeerUrl(url), dialling: false }));
    this.sync = new RootSynchronizer(coordinatorSyncTarget(c, nowSec), {
      onFault: (id, fault) => this.onSyncFault(id, fault),
      onResult: (id, tip, r) => this.onSyncResult(id, tip, r),
    }, o.sync ?? {});
    this.shards = new ShardP2p(c, { network: () => this.network, peer: (id) => this.peersById.get(id), log: this.log, rootSyncing: () => this.sync.current !== undefined });
  }

  /** Listens, hooks into the coordinator and dials the configured peers (without waiting for them). */
  static async start(c: Coordinator, o: P2pOptions): Promise<P2pNode> {
    const n = new P2pNode(c, o);
    await n.listen();
    await n.shards.start();
    n.unhook.push(c.events.on('rootTip', (rb: RootBlock) => {
      if (n.sync.current === undefined) n.announce(rb.header); // else the sync task's end announces it
    }));
    if (o.slot) n.unhook.push(o.slot.attach(n.view()));
    n.redial();
    n.redialTimer = setInterval(() => n.redial(), o.redialMs ?? REDIAL_MS);
    return n;
  }

  private async listen(): Promise<void> {
    const host = this.o.host ?? DEFAULT_P2P_HOST;
    const handler: NetworkHandler = {
      onPeer: (peer) => {
        this.peersById.set(peerKey(peer), peer);
        this.log(`p2p: peer ${peer} connected, root height ${peer.hello!.rootTip.height}`);
        const start = this.headStarts.get(peer);
        this.headStarts.delete(peer);
        const helloTip = peer.hello!.rootTip;
        this.sync.onPeerTip(peerKey(peer), new PeerSyncSource(peer, start && { start, helloTip }), helloTip);
        this.shards.onPeer(peer);
      },
      onHelloSent: (peer) => {
        // What downloadHeaders asks from our tip + 1: a fresh node's first query, a node behind's first after the ancestor search.
        this.headStarts.set(peer, sendHeadStart(peer, this.c.root.tip.height + 1, this.headStartLimit));
      },
      onAnnounce: (peer, msg) => {
        if (msg.type === 'NEW_ROOT_TIP') this.sync.onPeerTip(peerKey(peer), new PeerSyncSource(peer), msg.rootTip);
        else this.shards.onAnnounce(peer, msg);
      },
      onRequest: (_peer, m) => serveRequest(this.c, m, (s) => this.shards.tipFor(s)),
      onPeerClosed: (peer) => {
        const k = peerKey(peer);
        if (this.peersById.get(k) === peer) this.peersById.delete(k);
        this.sync.removePeer(k);
        this.shards.onPeerClosed(peer);
        this.log(`p2p: peer ${peer} left${peer.closeReason ? ` (${peer.closeReason.by === 'us' ? 'we said' : 'it said'} ${peer.closeReason.reason})` : ''}`);
      },
      onFault: (peer, fault) => this.log(`p2p: ${peer}: ${fault.fault}${fault.fatal ? ' (disconnected)' : ''}: ${fault.detail}`),
    };
    try {
      this.network = await Network.listen({
        node: localNode(this.c, randomBytes(NODE_ID_LEN), (s) => this.shards.tipFor(s)), handler, host, port: this.o.port, ...(this.o.timings ? { timings: this.o.timings } : {}), ...(this.o.budget ? { budget: this.o.budget } : {}),
      });
    } catch (e) {
      const what = `p2p: cannot listen on ${host}:${this.o.port}`;
      const code = (e as NodeJS.ErrnoException).code;
      throw code === 'EADDRINUSE' ? internal('PORT_IN_USE', `${what}: the port is in use; another node may be running: stop it, or pass --ports-offset 1, --p2p-port 0 (any free port) or --no-p2p`) : internal('LISTEN_FAILED', `${what}: ${ChainError.from(e).message}`);
    }
  }

  /** The bound port. */
  get port(): number {
    return this.network.port;
  }

  get url(): string {
    return `ws://${this.o.host ?? DEFAULT_P2P_HOST}:${this.port}`;
  }

  /** Handshaken peers. */
  peers(): Peer[] {
    return this.network.peers();
  }

  /** What the coordinator and RPC see of this node. */
  view(): P2pView {
    return {
      syncing: () => this.syncing,
      peers: () => this.peers().map((p) => p.address),
      peerInfo: () => this.peers().map((p) => ({ id: peerKey(p), address: p.address, direction: p.outbound ? 'outbound' : 'inbound', tips: p.tips.snapshot(), score: this.network.score(p) })),
    };
  }

  /** True while a sync task runs or waits. */
  get syncing(): boolean {
    return this.sync.current !== undefined || this.sync.pendingPeers.length > 0;
  }

  /** Whether a node id is banned now (tests, logs). */
  isBanned(nodeId: Bytes): boolean {
    return this.network.isBanned(nodeId);
  }

  /** The root tip last announced: a tip is announced once. */
  private announced: Bytes | undefined;

  private announce(rootTip: RootHeader): void {
    const hash = rootHeaderHash(rootTip);
    if (this.closed || (this.announced && equalBytes(this.announced, hash))) return;
    this.announced = hash;
    this.network.broadcast({ type: 'NEW_ROOT_TIP', rootTip });
  }

  /** Dials every configured peer that is not connected (one dial each at a time). */
  private redial(): void {
    for (const t of this.targets) {
      if (this.closed || t.dialling || (t.peer && !t.peer.isClosed)) continue;
      t.dialling = true;
      void this.network.dial(t.addr.host, t.addr.port).then(
        (peer) => {
          t.peer = peer;
          t.lastError = undefined;
        },
        (e: unknown) => {
          const msg = ChainError.from(e).message;
          if (msg !== t.lastError && !this.closed) this.log(`p2p: cannot connect to ${t.url}: ${msg} (retrying every ${(this.o.redialMs ?? REDIAL_MS) / 1000} s)`);
          t.lastError = msg;
        },
      ).finally(() => {
        t.dialling = false;
      });
    }
  }

  private onSyncFault(id: string, fault: PeerFault): void {
    const peer = this.peersById.get(id);
    this.log(`p2p: sync from ${peer ?? id.slice(0, 10)}: ${fault.fault}${fault.fatal ? ' (banned)' : ''}: ${fault.detail}`);
    if (peer) this.network.penalise(peer, fault);
  }

  private onSyncResult(id: string, tip: RootHeader, r: SyncResult): void {
    // Between tasks (the synchronizer reports a task's end before it starts the next): what it added is announced now, once.
    this.announce(this.c.rootTip().block.header);
    this.shards.announceTips();
    this.shards.offerTips(); // the peers' shard tips beyond what the task brought: shard syncs now
    const from = String(this.peersById.get(id) ?? id.slice(0, 10));
    const o = r.outcome;
    const got = `${plural(r.stats.rootBlocksAdded, 'root block')}, ${plural(r.stats.minorBlocks, 'shard block')}`;
    if (o.kind === 'synced') this.log(`p2p: synced to root height ${tip.height} from ${from} (${got})`);
    else if (o.kind === 'aborted') this.log(`p2p: sync from ${from} stopped at root height ${this.c.rootTip().height} (${got}): ${o.error.message}`);
  }

  /** Disconnects every peer, stops listening and dialling, lets a running sync task end; the coordinator keeps running. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.redialTimer);
    for (const off of this.unhook.splice(0)) off();
    await this.shards.close();
    await this.network.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.sync.whenIdle(), new Promise<void>((r) => { timer = setTimeout(r, CLOSE_SYNC_WAIT_MS); })]);
    clearTimeout(timer);
  }
}
