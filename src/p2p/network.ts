/**
 * The P2P network of one node (DESIGN §10; sockets live in the main thread, DESIGN §1): a `ws`
 * server on a local address, outbound dials, the set of handshaken peers by node id, a ban list,
 * a peer cap, and broadcast. Each connection is a Peer (peer.ts); this layer only decides who
 * may stay. What the messages mean (sync, relay after validation) is the handler's business:
 * `broadcast` relays nothing by itself.
 *
 * Bans (banList.ts): after a fatal fault, the peer's node id, its dialable address (the one we
 * dialled, or its IP with the HELLO's listen port) and, when it is not a loopback one, its IP are
 * refused for BAN_MS (SCORE_BAN_MS after a score drop), and so are peers that left with a
 * DISCONNECT saying we are incompatible (by id and address only: no fault). A connection from a banned IP gets DISCONNECT BANNED at
 * once, whatever its node id; a banned node id is refused at HELLO with DISCONNECT BANNED; a banned
 * address is not dialled. A loopback IP is never banned: local nodes share 127.0.0.1, and one bad
 * one must not cut off the others.
 *
 * Each peer's requests to us are budgeted (peerBudget.ts; one budget per IP unless loopback): past
 * the budget they go unanswered and cost score (P2P_OVER_BUDGET).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { keyOf, toHex, type Bytes } from '../core/bytes.js';
import { internal, notYet } from '../core/errors.js';
import type { MinorHeader } from '../core/minorBlock.js';
import type { RootHeader } from '../core/rootBlock.js';
import type { ConsensusParam } from '../consensus/consensusParams.js';
import { encodeMessage, PROTOCOL_VERSION, type DisconnectReason, type Hello } from './messages.js';
import { CLOSE_GRACE_MS, Peer, WS_OPTIONS, type Announcement, type PeerHandler, type PeerTimings, type ResponseBody, type ServedRequest } from './peer.js';
import { BanList, dialAddress } from './banList.js';
import { Budgets, DEFAULT_BUDGET, type BudgetLimits } from './peerBudget.js';
import { BAN_MS, OK, peerFault, type PeerDecision, type PeerFault } from './peerFault.js';
import { LIVENESS_CHECK_MS, PING_IDLE_MS, pingIdlePeers } from './peerLiveness.js';
import { PeerScores, SCORE_BAN_MS } from './peerScore.js';

/** Handshaken peers at once (go-ethereum's default MaxPeers is 25; a local cluster needs far fewer). */
export const DEFAULT_MAX_PEERS = 16;
/** Connections still in their handshake, on top of the peers: bounds what a connection flood costs. */
const MAX_PENDING_FACTOR = 2;
/** A DISCONNECT with one of these says the two nodes cannot talk: do not redial for BAN_MS. */
const INCOMPATIBLE: ReadonlySet<DisconnectReason> = new Set(['PROTOCOL_VERSION', 'NETWORK_ID', 'CONFIG', 'GENESIS', 'SELF_CONNECT', 'BANNED']);

/**
 * A connection refused before it became a Peer (a storm over the pending cap, or during
 * shutdown): it gets a DISCONNECT with the reason, and is cut within CLOSE_GRACE_MS whatever it
 * does, so a storm of connections costs a frame and a timer each.
 */
function refuseAtOnce(ws: WebSocket, reason: DisconnectReason, text: string): void {
  const kill = setTimeout(() => ws.terminate(), CLOSE_GRACE_MS);
  ws.on('close', () => clearTimeout(kill));
  ws.on('error', () => undefined);
  try {
    ws.send(encodeMessage({ type: 'DISCONNECT', reason, text }), { binary: true }, () => ws.close());
  } catch {
    ws.terminate();
  }
}

/** The local node as the network sees it; read at each handshake, so tips are current. */
export interface LocalNode {
  readonly networkId: number;
  readonly genesisRootHash: Bytes;
  /** consensusParams(config): sent in HELLO, checked against a peer's. */
  readonly params: readonly ConsensusParam[];
  readonly nodeId: Bytes;
  tips(): { readonly rootTip: RootHeader; readonly shardTips: readonly MinorHeader[] };
}

/** What the network hands to its owner (the coordinator, later). Optional hooks default to nothing. */
export interface NetworkHandler {
  onAnnounce(peer: Peer, msg: Announcement): void;
  onRequest(peer: Peer, msg: ServedRequest): Promise<ResponseBody>;
  onPeer?(peer: Peer): void;
  /** Our HELLO went out on a new connection: it may be sent requests before its handshake ends (Peer.request). */
  onHelloSent?(peer: Peer): void;
  onPeerClosed?(peer: Peer): void;
  onFault?(peer: Peer, fault: PeerFault): void;
}

export interface NetworkOptions {
  readonly node: LocalNode;
  readonly handler: NetworkHandler;
  /** Listen address; 127.0.0.1 unless told (nodes are local). */
  readonly host?: string;
  /** 0 binds a free port (see `port`). */
  readonly port?: number;
  readonly maxPeers?: number;
  readonly timings?: Partial<PeerTimings>;
  readonly now?: () => number;
  /** A peer silent this long is pinged (peerLiveness.ts); 0 turns pinging off. */
  readonly pingIdleMs?: number;
  /** What each peer may ask of us (peerBudget.ts DEFAULT_BUDGET unless told). */
  readonly budget?: BudgetLimits;
}

const DEFAULT_HOST = '127.0.0.1';

export class Network {
  private readonly peersById = new Map<string, Peer>();
  private readonly connections = new Set<Peer>();
  private readonly bans: BanList;
  private readonly budgets: Budgets;
  private readonly maxPeers: number;
  private readonly now: () => number;
  private closed = false;
  /** Resolvers of `close()`, per peer still closing. */
  private readonly closeWaiters = new Map<Peer, () => void>();
  /** Non-fatal faults' running cost per peer (peerScore.ts). */
  private readonly scores: PeerScores;
  private readonly livenessTimer: NodeJS.Timeout | undefined;

  private constructor(private readonly o: NetworkOptions, private readonly http: Server, private readonly wss: WebSocketServer) {
    this.maxPeers = o.maxPeers ?? DEFAULT_MAX_PEERS;
    this.port = (http.address() as AddressInfo).port;
    this.now = o.now ?? Date.now;
    this.scores = new PeerScores(this.now);
    this.bans = new BanList(this.now);
    this.budgets = new Budgets(o.budget ?? DEFAULT_BUDGET, this.now);
    const idleMs = o.pingIdleMs ?? PING_IDLE_MS;
    if (idleMs > 0) {
      this.livenessTimer = setInterval(() => pingIdlePeers(this.peersById.values(), this.now(), idleMs), Math.min(LIVENESS_CHECK_MS, idleMs));
      this.livenessTimer.unref();
    }
    wss.on('connection', (ws, req) => {
      const host = req.socket.remoteAddress ?? '?';
      const addr = `${host}:${req.socket.remotePort ?? 0}`;
      if (this.closed) refuseAtOnce(ws, 'REQUESTED', 'shutting down');
      else if (this.bans.isHostBanned(host)) refuseAtOnce(ws, 'BANNED', `${host} is banned`);
      else if (this.connections.size >= this.maxPeers * MAX_PENDING_FACTOR) refuseAtOnce(ws, 'TOO_MANY_PEERS', `${this.connections.size} connections already`);
      else this.adopt(ws, addr, false);
    });
    wss.on('error', () => undefined); // errors of single connections reach their Peer; the server's own end in close()
  }

  /** Starts listening; resolves once the port is bound. */
  static async listen(o: NetworkOptions): Promise<Network> {
    const http = createServer((_req, res) => {
      res.writeHead(426).end(); // WebSocket only
    });
    const wss = new WebSocketServer({ server: http, ...WS_OPTIONS });
    // `ws` re-emits the http server's errors (a port in use, too): without a listener that is an
    // uncaught exception. The listen error itself reaches `reject` below.
    wss.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      http.once('error', reject);
      http.listen(o.port ?? 0, o.host ?? DEFAULT_HOST, () => {
        http.off('error', reject);
        resolve();
      });
    });
    return new Network(o, http, wss);
  }

  /** The bound port (kept after close, for logs). */
  readonly port: number;

  /** Handshaken peers. */
  peers(): Peer[] {
    return [...this.peersById.values()];
  }

  /** The handshaken peer with this node id. */
  peer(nodeId: Bytes): Peer | undefined {
    return this.peersById.get(keyOf(nodeId));
  }

  /** True while `key` (a node id or a "host:port" address) is banned. */
  isBanned(key: Bytes | string): boolean {
    return this.bans.isBanned(key);
  }

  /**
   * Dials `host:port` and resolves with the peer once the handshake passed. Rejects with a ChainError:
   * `notYet` P2P_BANNED for a banned address, `invalid` with the handshake fault's code, or
   * `internal` P2P_PEER_CLOSED when the connection could not be made or ended first.
   */
  async dial(host: string, port: number): Promise<Peer> {
    const addr = `${host}:${port}`;
    if (this.closed) throw internal('P2P_PEER_CLOSED', 'the network is closed');
    if (this.isBanned(addr) || this.bans.isHostBanned(host)) throw notYet('P2P_BANNED', `${addr} is banned`);
    const timeout = this.o.timings?.handshakeTimeoutMs;
    const ws = new WebSocket(`ws://${host}:${port}`, { ...WS_OPTIONS, ...(timeout === undefined ? {} : { handshakeTimeout: timeout }) });
    const peer = this.adopt(ws, addr, true);
    await peer.whenReady();
    return peer;
  }

  /** Sends `msg` to every handshaken peer except `origin` (the one it came from); returns how many it went to. */
  broadcast(msg: Announcement, origin?: Peer): number {
    encodeMessage(msg); // a message we must not send throws here, not once per peer
    let n = 0;
    for (const p of this.peersById.values()) if (p !== origin && p.announce(msg)) n++;
    return n;
  }

  /** The peer's score now (peerScore.ts: SCORE_MAX when it never misbehaved). */
  score(peer: Peer): number {
    return peer.hello ? this.scores.score(keyOf(peer.hello.nodeId)) : 0;
  }

  /**
   * Acts on a fault of `peer`'s: a fatal one bans and disconnects at once; a non-fatal one costs
   * score, and a peer whose score falls to the threshold is disconnected and banned for SCORE_BAN_MS.
   * Returns whether the peer was dropped.
   */
  penalise(peer: Peer, fault: PeerFault): boolean {
    if (fault.fatal) {
      this.ban(peer);
      peer.disconnect(fault.reason, `${fault.fault}: ${fault.detail}`);
      return true;
    }
    if (!peer.hello) return false;
    const { score, drop } = this.scores.charge(keyOf(peer.hello.nodeId), fault);
    if (!drop) return false;
    this.ban(peer, SCORE_BAN_MS);
    peer.disconnect(fault.reason, `score ${Math.round(score)} after ${fault.fault}: ${fault.detail}`);
    return true;
  }

  /** Refuses `peer`'s node id, dialable address and (`byHost`) non-loopback IP for `ms` (BAN_MS: a fatal fault's suspension). */
  ban(peer: Peer, ms = BAN_MS, byHost = true): void {
    const dial = dialAddress(peer);
    this.bans.ban({
      ...(peer.remoteHello ? { nodeId: peer.remoteHello.nodeId } : {}), ...(dial === undefined ? {} : { dialAddress: dial }), ...(byHost ? { remoteAddress: peer.address } : {}),
    }, ms);
  }

  /** Disconnects every peer (REQUESTED) and stops listening; resolves once all sockets are closed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.livenessTimer);
    const closing = [...this.connections].map((p) => new Promise<void>((resolve) => {
      if (p.isClosed) resolve();
      else this.closeWaiters.set(p, resolve);
    }));
    for (const p of this.connections) p.disconnect('REQUESTED', 'shutting down');
    await Promise.all(closing);
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }

  private ourHello(): Hello {
    const { rootTip, shardTips } = this.o.node.tips();
    return {
      type: 'HELLO', protocolVersion: PROTOCOL_VERSION, networkId: this.o.node.networkId, genesisRootHash: this.o.node.genesisRootHash,
      params: this.o.node.params, nodeId: this.o.node.nodeId, listenPort: this.port, rootTip, shardTips,
    };
  }

  private adopt(ws: WebSocket, address: string, outbound: boolean): Peer {
    const h = this.o.handler;
    const budget = this.budgets.open(address);
    const handler: PeerHandler = {
      onReady: (p) => h.onPeer?.(p),
      onHelloSent: (p) => h.onHelloSent?.(p),
      onAnnounce: (p, m) => h.onAnnounce(p, m),
      onRequest: (p, m) => h.onRequest(p, m),
      onFault: (p, f) => {
        if (f.fatal) this.ban(p);
        else this.penalise(p, f); // the Peer disconnects on fatal faults itself
        h.onFault?.(p, f);
      },
      onClose: (p) => {
        this.connections.delete(p);
        budget.release();
        // Its score stays: a peer cannot clear it by reconnecting (a recovered score frees its entry).
        if (p.hello && this.peersById.get(keyOf(p.hello.nodeId)) === p) this.peersById.delete(keyOf(p.hello.nodeId));
        if (p.closeReason?.by === 'them' && INCOMPATIBLE.has(p.closeReason.reason)) this.ban(p, BAN_MS, false); // not a fault: its IP stays welcome
        this.closeWaiters.get(p)?.();
        this.closeWaiters.delete(p);
        if (p.hello) h.onPeerClosed?.(p);
      },
    };
    const peer = new Peer(ws, {
      hello: this.ourHello(), handler, outbound, address,
      isConnected: (id) => this.peersById.has(keyOf(id)),
      admit: (p, hello) => this.admit(p, hello),
      ...(this.o.timings ? { timings: this.o.timings } : {}),
      budget: budget.budget,
      now: this.now,
    });
    this.connections.add(peer);
    return peer;
  }

  /** The network's checks of a HELLO that passed checkHello; registers the peer when it passes. */
  private admit(p: Peer, hello: Hello): PeerDecision {
    if (this.closed) return peerFault('P2P_SHUTTING_DOWN', false, 'REQUESTED', 'shutting down');
    if (this.isBanned(hello.nodeId)) return peerFault('P2P_BANNED', false, 'BANNED', `${toHex(hello.nodeId)} is banned`);
    if (this.peersById.size >= this.maxPeers) return peerFault('P2P_TOO_MANY_PEERS', false, 'TOO_MANY_PEERS', `${this.maxPeers} peers already`);
    this.peersById.set(keyOf(hello.nodeId), p);
    return OK;
  }
}
