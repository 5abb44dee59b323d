/**
 * One P2P connection over a `ws` WebSocket (DESIGN §10, reference/sync.md §2 and §4), in the
 * main thread. It runs the pure peer rules (peerRules.ts) against a live socket:
 * - HELLO: ours is sent as soon as the socket is open; theirs must come first and within the
 *   handshake timeout, and pass checkHello and the owner's `admit` (ban list, peer cap).
 * - Every frame is binary and decoded with decodeMessage; a malformed one is a fatal fault.
 *   `maxPayload` is the frame cap, so `ws` itself closes on an oversized frame.
 * - Our requests go through a RequestTracker, with one timer on its next deadline; theirs through
 *   InboundRequests, and are answered by the handler (PING is answered here).
 * - Announced tips are checked with PeerTips before the handler sees them.
 * Every fault is reported to `handler.onFault`; a fatal one (and any handshake fault) also sends
 * DISCONNECT and closes. Nothing thrown by the socket, the codec or the handler escapes a socket
 * event: a bad peer never crashes the node.
 */
import type { RawData, WebSocket } from 'ws';
import { toHex, type Bytes } from '../core/bytes.js';
import { ChainError, internal, invalid, notYet } from '../core/errors.js';
import { MAX_FRAME_BYTES } from './limits.js';
import {
  decodeMessage, encodeMessage, RESPONSE_TO, sanitizeText, isRequest, isResponse, type DisconnectReason, type Hello, type Message,
  type NewRootTip, type NewShardBlock, type NewShardTip, type RequestMessage, type ResponseMessage,
} from './messages.js';
import {
  checkHello, checkMessageOrder, HANDSHAKE_TIMEOUT_MS, InboundRequests, malformedFrameFault, MAX_OUTSTANDING_REQUESTS, peerFault,
  REQUEST_TIMEOUT_MS, RequestTracker, type LocalIdentity, type PeerDecision, type PeerFault, type RequestBody,
} from './peerRules.js';
import { PeerTips } from './tipRules.js';

/** A peer that has not finished the WebSocket close handshake this long after ours is cut off. */
export const CLOSE_GRACE_MS = 1_000;
/** Unsent bytes queued to one peer before it counts as not reading: two full frames. */
export const MAX_SEND_BUFFER_BYTES = 2 * MAX_FRAME_BYTES;
/** WebSocket close code for a normal close (RFC 6455). */
const WS_NORMAL_CLOSE = 1000;

/** The messages a peer announces, handed to the handler once their tips pass PeerTips. */
export type Announcement = NewRootTip | NewShardTip | NewShardBlock;
/** A request the handler answers (PING is answered by the Peer itself). */
export type ServedRequest = Exclude<RequestMessage, { type: 'PING' }>;
/** `Omit` applied to each member of a union, so the result is still a discriminated union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** The handler's answer to a ServedRequest, before it gets the request's id. */
export type ResponseBody = DistributiveOmit<Exclude<ResponseMessage, { type: 'PONG' }>, 'requestId'>;

/** What a Peer tells its owner. No method may be relied on to be called more than once, except onAnnounce and onFault. */
export interface PeerHandler {
  /** The handshake passed: the peer may now be used. */
  onReady(peer: Peer): void;
  onAnnounce(peer: Peer, msg: Announcement): void;
  /** Answer a request; a rejection or a wrong response type leaves it unanswered (the requester times out). */
  onRequest(peer: Peer, msg: ServedRequest): Promise<ResponseBody>;
  /** A fault of the peer's; `fatal` ones have already made the peer disconnect. */
  onFault(peer: Peer, fault: PeerFault): void;
  /** The socket closed (once, whatever the cause). */
  onClose(peer: Peer): void;
}

/** Timings, shortened by tests. */
export interface PeerTimings {
  readonly handshakeTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxOutstanding: number;
}

export const DEFAULT_PEER_TIMINGS: PeerTimings = {
  handshakeTimeoutMs: HANDSHAKE_TIMEOUT_MS,
  requestTimeoutMs: REQUEST_TIMEOUT_MS,
  maxOutstanding: MAX_OUTSTANDING_REQUESTS,
};

export interface PeerOptions {
  /** Our HELLO, as sent. */
  readonly hello: Hello;
  readonly handler: PeerHandler;
  /** True for a connection we dialled. */
  readonly outbound: boolean;
  /** The remote address, for logs and bans ("host:port"). */
  readonly address: string;
  /** Another connection to this node id already passed its handshake (checkHello's duplicate rule). */
  readonly isConnected?: (nodeId: Bytes) => boolean;
  /** The owner's last word on a HELLO that passed checkHello (ban list, peer cap); it may register the peer. */
  readonly admit?: (peer: Peer, hello: Hello) => PeerDecision;
  readonly timings?: Partial<PeerTimings>;
  readonly now?: () => number;
}

interface Waiter {
  readonly resolve: (m: ResponseMessage) => void;
  readonly reject: (e: ChainError) => void;
}

type State = 'handshake' | 'ready' | 'closing' | 'closed';

/** The `ws` options of a P2P socket, for the server and for dialling: frames up to the cap, no compression (a zip bomb would bypass the cap's intent). */
export const WS_OPTIONS = { maxPayload: MAX_FRAME_BYTES, perMessageDeflate: false } as const;

function rawBytes(raw: RawData): Bytes {
  if (Buffer.isBuffer(raw)) return raw;
  if (Array.isArray(raw)) return Buffer.concat(raw);
  return new Uint8Array(raw);
}

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

  private state: State = 'handshake';
  private readonly tracker: RequestTracker;
  private readonly inbound: InboundRequests;
  private readonly waiters = new Map<number, Waiter>();
  private readonly timings: PeerTimings;
  private readonly now: () => number;
  private handshakeTimer: NodeJS.Timeout | undefined;
  private requestTimer: NodeJS.Timeout | undefined;
  private requestTimerAt: number | undefined;
  private killTimer: NodeJS.Timeout | undefined;
  /** Ends the wait of each request being served, so that closing leaves no timer behind. */
  private readonly serving = new Set<() => void>();
  private readonly ready: Promise<void>;
  private settleReady: (e?: ChainError) => void = () => undefined;

  /** Takes over `ws` (open or connecting): sends our HELLO once it is open and starts the handshake clock. */
  constructor(private readonly ws: WebSocket, private readonly o: PeerOptions) {
    this.address = o.address;
    this.outbound = o.outbound;
    this.timings = { ...DEFAULT_PEER_TIMINGS, ...o.timings };
    this.now = o.now ?? Date.now;
    this.tracker = new RequestTracker(this.timings.maxOutstanding, this.timings.requestTimeoutMs);
    this.inbound = new InboundRequests(this.timings.maxOutstanding);
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = (e) => (e ? reject(e) : resolve());
    });
    this.ready.catch(() => undefined); // awaited by whoever wants it; not an unhandled rejection meanwhile
    ws.binaryType = 'nodebuffer';
    ws.on('message', (data, isBinary) => this.guard(() => this.onFrame(data, isBinary)));
    ws.on('error', (e) => this.guard(() => this.onSocketError(e)));
    ws.on('close', () => this.guard(() => this.onClosed()));
    this.handshakeTimer = setTimeout(() => this.guard(() => this.onHandshakeTimeout()), this.timings.handshakeTimeoutMs);
    if (ws.readyState === ws.OPEN) this.send(o.hello);
    else ws.once('open', () => this.guard(() => this.send(o.hello)));
  }

  /** Their node id (after the handshake). */
  get nodeId(): Bytes | undefined {
    return this.hello?.nodeId;
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  get isClosed(): boolean {
    return this.state === 'closed';
  }

  /** Our requests in flight to this peer. */
  get outstanding(): number {
    return this.tracker.size;
  }

  /** Resolves once the handshake passed; rejects with a coded ChainError if the connection ends first. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  /**
   * Sends a request and resolves with its matched response. Rejects with a ChainError: `notYet`
   * P2P_TOO_MANY_OUTSTANDING (our cap; retry later), `internal` P2P_PEER_CLOSED (not connected,
   * or the connection ended), or `invalid` with the fault's code (P2P_TIMEOUT, P2P_RESPONSE_MISMATCH, ...).
   */
  request(body: RequestBody): Promise<ResponseMessage> {
    if (this.state !== 'ready') return Promise.reject(internal('P2P_PEER_CLOSED', `${this.address} is not connected`));
    const issued = this.tracker.issue(body, this.now());
    if (!issued.ok) return Promise.reject(notYet(issued.code, issued.detail));
    const id = issued.request.id;
    const p = new Promise<ResponseMessage>((resolve, reject) => this.waiters.set(id, { resolve, reject }));
    if (!this.send(issued.message)) {
      this.tracker.cancel(id);
      this.settle(id, internal('P2P_PEER_CLOSED', `${this.address}: ${body.type} could not be sent`));
    } else {
      this.armRequestTimer();
    }
    return p;
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
    if (this.ws.readyState !== this.ws.OPEN) return false;
    if (this.ws.bufferedAmount > MAX_SEND_BUFFER_BYTES) {
      // The peer does not read: more would only grow our memory.
      this.closeReason ??= { by: 'us', reason: 'TIMEOUT', text: 'not reading' };
      this.beginClose(true);
      return false;
    }
    this.ws.send(encodeMessage(m), { binary: true });
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
    if (!isBinary) {
      this.fault(peerFault('P2P_TEXT_FRAME', true, 'BAD_MESSAGE', 'a text frame'));
      return;
    }
    let m: Message;
    try {
      m = decodeMessage(rawBytes(data));
    } catch (e) {
      const f = malformedFrameFault(e);
      if (f) this.fault(f);
      else this.disconnect('REQUESTED', `internal: ${e instanceof Error ? e.message : String(e)}`); // our decoder's bug: blame no one
      return;
    }
    const order = checkMessageOrder(m.type, this.hello !== undefined);
    if (!order.ok) {
      this.fault(order);
      return;
    }
    this.onMessage(m);
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
        this.onAnnounce(m, { ok: true });
        return;
    }
    if (isRequest(m)) this.onRequest(m);
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

  private onRequest(m: RequestMessage): void {
    const d = this.inbound.begin(m.requestId);
    if (!d.ok) {
      this.fault(d);
      return;
    }
    if (m.type === 'PING') {
      this.inbound.end(m.requestId);
      this.send({ type: 'PONG', requestId: m.requestId });
      return;
    }
    void this.serve(m);
  }

  /** Answers a request through the handler, bounded by the request timeout (past it the requester has given up). */
  private async serve(m: ServedRequest): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let stop: () => void = () => undefined;
    try {
      const deadline = new Promise<undefined>((resolve) => {
        stop = () => resolve(undefined);
        timer = setTimeout(stop, this.timings.requestTimeoutMs);
      });
      this.serving.add(stop);
      const body = await Promise.race([this.o.handler.onRequest(this, m), deadline]);
      this.inbound.end(m.requestId);
      if (body === undefined || body.type !== RESPONSE_TO[m.type] || this.state !== 'ready') return;
      this.send({ ...body, requestId: m.requestId });
    } catch {
      this.inbound.end(m.requestId); // the handler could not answer: the requester times out
    } finally {
      clearTimeout(timer);
      this.serving.delete(stop);
    }
  }

  private onResponse(res: ResponseMessage): void {
    const match = this.tracker.match(res, this.now());
    this.armRequestTimer();
    if (!match.ok) {
      this.settle(res.requestId, invalid(match.fault, match.detail));
      this.fault(match);
      return;
    }
    // A header response carries the peer's tips, which must be monotonic like announced ones.
    let d: PeerDecision = { ok: true };
    if (res.type === 'ROOT_HEADERS') d = this.tips.onRootTip(res.rootTip);
    if (res.type === 'SHARD_HEADERS') d = this.tips.onShardTip(res.rootTip, res.shardTip);
    if (!d.ok) {
      this.settle(res.requestId, invalid(d.fault, d.detail));
      this.fault(d);
      return;
    }
    this.settle(res.requestId, res);
  }

  private settle(id: number, outcome: ResponseMessage | ChainError): void {
    const w = this.waiters.get(id);
    if (!w) return;
    this.waiters.delete(id);
    if (outcome instanceof ChainError) w.reject(outcome);
    else w.resolve(outcome);
  }

  /** One timer, on the tracker's earliest deadline. */
  private armRequestTimer(): void {
    const next = this.tracker.nextDeadlineMs();
    if (next === this.requestTimerAt) return;
    clearTimeout(this.requestTimer);
    this.requestTimer = undefined;
    this.requestTimerAt = next;
    if (next === undefined || this.state === 'closed') return;
    this.requestTimer = setTimeout(() => this.guard(() => this.onRequestTimer()), Math.max(0, next - this.now()));
  }

  private onRequestTimer(): void {
    this.requestTimer = undefined;
    this.requestTimerAt = undefined;
    for (const t of this.tracker.expire(this.now())) {
      this.settle(t.request.id, invalid(t.fault.fault, t.fault.detail));
      this.fault(t.fault);
    }
    this.armRequestTimer();
  }

  private onSocketError(e: Error): void {
    const code = (e as Error & { code?: unknown }).code;
    // `ws` protocol errors (WS_ERR_*) are the peer's: an oversized frame, a bad opcode, an unmasked frame...
    if (typeof code === 'string' && code.startsWith('WS_ERR_') && this.state !== 'closed') {
      const f = code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
        ? peerFault('P2P_FRAME_TOO_LARGE', true, 'BAD_MESSAGE', `a frame over ${MAX_FRAME_BYTES} bytes`)
        : peerFault('P2P_BAD_WS_FRAME', true, 'BAD_MESSAGE', `${code}: ${e.message}`);
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
    this.stopTimers();
    this.rejectAll();
    this.settleReady(internal('P2P_PEER_CLOSED', `${this.address} closed during the handshake`));
  }

  private stopTimers(): void {
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.requestTimer);
    this.handshakeTimer = undefined;
    this.requestTimer = undefined;
    this.requestTimerAt = undefined;
    for (const stop of this.serving) stop();
  }

  private rejectAll(): void {
    for (const id of [...this.waiters.keys()]) {
      this.tracker.cancel(id);
      this.settle(id, internal('P2P_PEER_CLOSED', `${this.address} closed`));
    }
  }

  /** For logs. */
  toString(): string {
    return `${this.address}${this.hello ? ` (${toHex(this.hello.nodeId).slice(0, 10)})` : ''}`;
  }
}
