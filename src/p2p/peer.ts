/**
 * One P2P connection over a `ws` WebSocket (DESIGN §10, reference/sync.md §2 and §4), in the
 * main thread. It runs the pure peer rules (peerRules.ts) against a live socket:
 * - HELLO: ours is sent as soon as the socket is open; theirs must come first and within the
 *   handshake timeout, and pass checkHello and the owner's `admit` (ban list, peer cap).
 * - Every frame is binary and decoded with decodeMessage; a malformed one is a fatal fault.
 *   `maxPayload` is the frame cap, so `ws` itself closes on an oversized frame.
 * - Our requests go through OutboundRequests (a RequestTracker, one timer on its next deadline); theirs through
 *   ServedRequests (in-flight cap, the peer's budget: peerBudget.ts), answered by the handler (PING here).
 * - Announced tips are checked with PeerTips before the handler sees them.
 * Every fault is reported to `handler.onFault`; a fatal one (and any handshake fault) also sends
 * DISCONNECT and closes. Nothing thrown by the socket, the codec or the handler escapes a socket
 * event: a bad peer never crashes the node.
 */
import type { RawData, WebSocket } from 'ws';
import { toHex, type Bytes } from '../core/bytes.js';
import { ChainError, internal, invalid } from '../core/errors.js';
import { encodeMessage, sanitizeText, isRequest, isResponse, type DisconnectReason, type Hello, type Message, type ResponseMessage } from './messages.js';
import { checkHello, peerFault, type LocalIdentity, type PeerDecision, type PeerFault, type RequestBody } from './peerRules.js';
import { readFrame, socketErrorFault } from './readFrame.js';
import { PeerTips } from './tipRules.js';
import {
  CLOSE_GRACE_MS, DEFAULT_PEER_TIMINGS, MAX_SEND_BUFFER_BYTES, type Announcement, type PeerHandlerOf, type PeerOptionsOf, type PeerTimings,
} from './peerOptions.js';
import { OutboundRequests } from './outboundRequests.js';
import { ServedRequests } from './servedRequests.js';
import type { PeerBudget } from './peerBudget.js';

export { CLOSE_GRACE_MS, DEFAULT_PEER_TIMINGS, MAX_SEND_BUFFER_BYTES, WS_OPTIONS } from './peerOptions.js';
export type { Announcement, PeerTimings, ResponseBody, ServedRequest } from './peerOptions.js';

/** WebSocket close code for a normal close (RFC 6455). */
const WS_NORMAL_CLOSE = 1000;

/** What a Peer tells its owner (see PeerHandlerOf). */
export type PeerHandler = PeerHandlerOf<Peer>;
export type PeerOptions = PeerOptionsOf<Peer>;

type State = 'handshake' | 'ready' | 'closing' | 'closed';

export class Peer {
  /** Their HELLO, once received and accepted. */
  hello: Hello | undefined;
  /** Their HELLO as received, accepted or not (a refused peer's node id is what gets banned). */
  remoteHello: Hello | undefined;
  /** What ended the connection: a fault of theirs, their DISCONNECT, or ours. Set when closing starts. */
  closeReason: { readonly by: 'us' | 'them'; readonly reason: DisconnectReason; readonly text: string } | undefined;
  readonly tips = new PeerTips();
  readonly address: string;
  readonly outbound: boolean;
  /** When a frame last came from the peer (ms): an idle peer is pinged (peerLiveness.ts). */
  lastHeardAt: number;

  private state: State = 'handshake';
  /** Our HELLO went out: a request sent now reaches the peer after it (frames keep their order). */
  private helloSent = false;
  private readonly requests: OutboundRequests;
  private readonly serving: ServedRequests;
  private readonly timings: PeerTimings;
  private readonly now: () => number;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  private readonly ready: Promise<void>;
  private settleReady: (e?: ChainError) => void = () => undefined;

  /** Takes over `ws` (open or connecting): sends our HELLO once it is open and starts the handshake clock. */
  constructor(private readonly ws: WebSocket, private readonly o: PeerOptions) {
    this.address = o.address;
    this.outbound = o.outbound;
    this.timings = { ...DEFAULT_PEER_TIMINGS, ...o.timings };
    this.now = o.now ?? Date.now;
    this.lastHeardAt = this.now();
    this.requests = new OutboundRequests(this.timings.maxOutstanding, this.timings.requestTimeoutMs, {
      send: (m) => this.send(m), onFault: (f) => this.fault(f), guard: (fn) => this.guard(fn), now: this.now, address: o.address,
    });
    this.serving = new ServedRequests(this.timings.maxOutstanding, this.timings.requestTimeoutMs, {
      answer: (m) => this.o.handler.onRequest(this, m), send: (f) => this.sendFrame(f), canSend: () => this.state === 'ready', onFault: (f) => this.fault(f), now: this.now,
    }, o.budget);
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (e) => (e ? reject(e) : resolve());
    });
    this.ready.catch(() => undefined); // awaited by whoever wants it; not an unhandled rejection meanwhile
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data, isBinary) => this.guard(() => this.onFrame(data, isBinary)));
    ws.on('error', (e) => this.guard(() => this.onSocketError(e)));
    ws.on('close', () => this.guard(() => this.onClosed()));
    this.handshakeTimer = setTimeout(() => this.guard(() => this.onHandshakeTimeout()), this.timings.handshakeTimeoutMs);
    if (ws.readyState === ws.OPEN) this.greet();
    else ws.once('open', () => this.guard(() => this.greet()));
  }

  /** Sends our HELLO; from then on requests may follow it, before theirs is in (handler.onHelloSent). */
  private greet(): void {
    this.helloSent = this.send(this.o.hello);
    if (this.helloSent) this.o.handler.onHelloSent?.(this);
  }

  /** Their node id (after the handshake). */
  get nodeId(): Bytes | undefined { return this.hello?.nodeId; }

  get isReady(): boolean { return this.state === 'ready'; }

  get isClosed(): boolean { return this.state === 'closed'; }

  /** Our requests in flight to this peer. */
  get outstanding(): number { return this.requests.size; }

  /** What this peer may still ask of us, and what it was refused and sent (peerBudget.ts). */
  get budget(): PeerBudget { return this.serving.budget; }

  /** Resolves once the handshake passed; rejects with a coded ChainError if the connection ends first. */
  whenReady(): Promise<void> { return this.ready; }

  /**
   * Sends a request (once our HELLO is out; its answer comes after their HELLO, which they send first) and resolves with
   * its matched response. Rejects with a ChainError: `notYet` P2P_TOO_MANY_OUTSTANDING (our cap; retry later), `internal`
   * P2P_PEER_CLOSED (not connected, or the connection ended), or `invalid` with the fault's code (P2P_TIMEOUT, ...).
   */
  request(body: RequestBody): Promise<ResponseMessage> {
    if (this.state !== 'ready' && !(this.state === 'handshake' && this.helloSent)) return Promise.reject(internal('P2P_PEER_CLOSED', `${this.address} is not connected`));
    return this.requests.issue(body);
  }

  /** Sends an announcement (after the handshake; dropped otherwise). */
  announce(msg: Announcement): boolean {
    return this.state === 'ready' && this.send(msg);
  }

  /** Sends DISCONNECT with `reason`, then closes; idempotent. */
  disconnect(reason: DisconnectReason, text = ''): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.closeReason = { by: 'us', reason, text };
    this.send({ type: 'DISCONNECT', reason, text: sanitizeText(text) });
    this.beginClose();
  }

  /** Runs a socket event's work; anything thrown is our bug, and costs only this connection. */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.closeReason ??= { by: 'us', reason: 'REQUESTED', text: sanitizeText(`internal: ${e instanceof Error ? e.message : String(e)}`) };
      this.beginClose(true);
    }
  }

  private send(m: Message): boolean {
    return this.sendFrame(encodeMessage(m));
  }

  private sendFrame(frame: Bytes): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount > MAX_SEND_BUFFER_BYTES) {
      // The peer does not read: more would only grow our memory.
      this.closeReason ??= { by: 'us', reason: 'TIMEOUT', text: 'not reading' };
      this.beginClose(true);
      return false;
    }
    const delay = this.timings.sendDelayMs;
    if (delay > 0) setTimeout(() => this.ws.readyState === this.ws.OPEN && this.ws.send(frame, { binary: true }), delay);
    else this.ws.send(frame, { binary: true });
    return true;
  }

  /** Reports a fault; a fatal one also disconnects. */
  private fault(f: PeerFault, closeAnyway = false): void {
    try {
      this.o.handler.onFault(this, f);
    } catch {
      // the handler's bug must not keep us from acting on the fault
    }
    if (f.fatal || closeAnyway) this.disconnect(f.reason, `${f.fault}: ${f.detail}`);
  }

  private onFrame(data: RawData, isBinary: boolean): void {
    if (this.state === 'closing' || this.state === 'closed') return;
    this.lastHeardAt = this.now();
    const r = readFrame(data, isBinary, this.hello !== undefined);
    if (r.kind === 'message') this.onMessage(r.message);
    else if (r.kind === 'fault') this.fault(r.fault);
    else this.disconnect('REQUESTED', `internal: ${r.detail}`); // our decoder's bug: blame no one
  }

  private onMessage(m: Message): void {
    switch (m.type) {
      case 'HELLO':
        this.onHello(m);
        return;
      case 'DISCONNECT':
        this.closeReason = { by: 'them', reason: m.reason, text: m.text };
        this.beginClose();
        return;
      case 'NEW_ROOT_TIP':
        this.onAnnounce(m, this.tips.onRootTip(m.rootTip));
        return;
      case 'NEW_SHARD_TIP':
        this.onAnnounce(m, this.tips.onShardTip(m.rootTip, m.shardTip));
        return;
      case 'NEW_SHARD_BLOCK':
      case 'NEW_TRANSACTIONS':
        this.onAnnounce(m, { ok: true });
        return;
    }
    if (isRequest(m)) this.serving.onRequest(m);
    else if (isResponse(m)) this.onResponse(m);
  }

  private onHello(h: Hello): void {
    const ours: LocalIdentity = this.o.hello;
    this.remoteHello = h;
    let d = checkHello(h, ours, this.o.isConnected);
    if (d.ok) d = this.tips.onHello(h);
    if (d.ok && this.o.admit) d = this.o.admit(this, h);
    if (!d.ok) {
      this.settleReady(invalid(d.fault, d.detail));
      this.fault(d, true); // no connection without a handshake
      return;
    }
    this.hello = h;
    this.state = 'ready';
    clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
    this.settleReady();
    this.o.handler.onReady(this);
  }

  private onHandshakeTimeout(): void {
    this.handshakeTimer = undefined;
    if (this.state !== 'handshake') return;
    this.fault(peerFault('P2P_HANDSHAKE_TIMEOUT', false, 'HANDSHAKE', `no HELLO within ${this.timings.handshakeTimeoutMs} ms`), true);
  }

  private onAnnounce(m: Announcement, d: PeerDecision): void {
    if (!d.ok) {
      this.fault(d);
      return;
    }
    this.o.handler.onAnnounce(this, m);
  }

  private onResponse(res: ResponseMessage): void {
    // A header response carries the peer's tips, which must be monotonic like announced ones.
    this.requests.onResponse(res, (r): PeerDecision => {
      if (r.type === 'ROOT_HEADERS') return this.tips.onRootTip(r.rootTip);
      if (r.type === 'SHARD_HEADERS') return this.tips.onShardTip(r.rootTip, r.shardTip);
      return { ok: true };
    });
  }

  private onSocketError(e: Error): void {
    const f = this.state === 'closed' ? undefined : socketErrorFault(e);
    if (f) {
      this.closeReason ??= { by: 'us', reason: f.reason, text: f.detail };
      this.fault(f);
    }
    this.beginClose(true); // `ws` closes the socket after an error; make sure of it
  }

  /** Starts closing; `ws` gets CLOSE_GRACE_MS to finish the close handshake before the socket is cut. */
  private beginClose(now = false): void {
    if (this.state === 'closed') return;
    this.stop('closing');
    if (now) {
      this.ws.terminate();
      return;
    }
    if (this.ws.readyState === this.ws.CONNECTING) {
      this.ws.terminate();
      return;
    }
    this.ws.close(WS_NORMAL_CLOSE);
    this.killTimer ??= setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
  }

  private onClosed(): void {
    if (this.state === 'closed') return;
    this.stop('closed');
    clearTimeout(this.killTimer);
    this.killTimer = undefined;
    this.o.handler.onClose(this);
  }

  /** Moves to `state` and ends everything that waits on the connection (first call only does the work). */
  private stop(state: 'closing' | 'closed'): void {
    const first = this.state === 'handshake' || this.state === 'ready';
    this.state = state;
    if (!first) return;
    clearTimeout(this.handshakeTimer);
    this.handshakeTimer = undefined;
    this.serving.stopAll();
    this.requests.closeAll();
    this.settleReady(internal('P2P_PEER_CLOSED', `${this.address} closed during the handshake`));
  }

  /** For logs. */
  toString(): string {
    return `${this.address}${this.hello ? ` (${toHex(this.hello.nodeId).slice(0, 10)})` : ''}`;
  }
}
