/**
 * A hostile P2P peer over a raw `ws` socket (issue "hostile load" item 3), against any node: it
 * answers the node's HELLO with a copy of it (same network, parameters, genesis and tips: the node
 * has nothing to sync from it) under a node id of its choosing, then abuses it. Used by
 * bench/abuse.ts and by the flood test in npm test.
 *   pingBurst      n PINGs at once: how many PONGs came back, how the node ended it
 *   requestFlood   the biggest requests the protocol allows (root blocks and shard blocks by a
 *                  repeated tip hash, 1,000 root headers; after one of each, the kind with the
 *                  biggest answer only), as fast as the node's in-flight cap allows with PINGs on
 *                  top, or paced under the request rate; reconnecting under a new id when dropped
 *   connectionStorm  n connections at once, no HELLO: each is answered (HELLO, or DISCONNECT and closed)
 *   probe          does the node admit this id now (a PING answered), or refuse it (DISCONNECT reason)?
 */
import { randomBytes } from 'node:crypto';
import { WebSocket } from 'ws';
import type { Bytes } from '../../src/core/bytes.js';
import { minorHeaderHash } from '../../src/core/minorBlock.js';
import { encodeRootBlock, rootBlockHash, rootHeaderHash } from '../../src/core/rootBlock.js';
import { MAX_ROOT_BLOCKS, MAX_ROOT_HEADERS, MAX_SHARD_BLOCKS } from '../../src/p2p/limits.js';
import { typeOfCode } from '../../src/p2p/envelope.js';
import { decodeMessage, encodeMessage, RESPONSE_TO, type DisconnectReason, type Hello, type Message, type MessageType, type RequestMessage } from '../../src/p2p/messages.js';
import { WS_OPTIONS } from '../../src/p2p/peerOptions.js';
import { MAX_OUTSTANDING_REQUESTS } from '../../src/p2p/requestTracker.js';

/** How long a join waits for the node's HELLO, and a probe for its answer. */
const JOIN_TIMEOUT_MS = 5_000;
/** A burst is over when the node has said nothing for this long (or closed the connection). */
const QUIET_MS = 1_000;
/**
 * A flood request unanswered this long is taken as refused and its slot reused (a refusal is
 * silence). Long, so that a slow node is never sent more than its in-flight cap: refusals are
 * mostly found sooner by order (see `floodSession`).
 */
const REFUSAL_WAIT_MS = 2_000;
/** Data requests the flood keeps in flight: under the node's cap of MAX_OUTSTANDING_REQUESTS, so a slot reused early still leaves room. */
const FLOOD_WINDOW = MAX_OUTSTANDING_REQUESTS - 2;
/** The flood's pace (ms): each tick it tops up its window (and, flooding requests, sends a PING: PINGs hold no slot, answered at once or refused). */
const TICK_MS = 2;
/** A bytes flood's requests a second: under a node's default 200 (peerBudget.ts), so only its byte budget can refuse them. */
const BYTES_FLOOD_RATE = 180;

/**
 * What a flood spends: 'requests' asks as fast as it can, with a PING every tick on top, to run
 * out the request budget; 'bytes' asks for the biggest answers, paced under the request rate, to
 * run out the byte budget. In both, every other data request is a one-header marker (see
 * floodSession).
 */
export type FloodKind = 'requests' | 'bytes';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A message the node sent: its type, its request id (responses) and its frame size; responses are not decoded further. */
export interface Heard {
  readonly type: MessageType;
  readonly requestId: number;
  readonly bytes: number;
}

const RESPONSE_TYPES: ReadonlySet<MessageType> = new Set(Object.values(RESPONSE_TO));

/** What a frame from the node is: a response by its envelope alone (type byte, request id), anything else decoded. */
function hear(data: Buffer): { heard: Heard; m?: Message } {
  const type = typeOfCode(data[0] ?? 0);
  if (type !== undefined && RESPONSE_TYPES.has(type)) return { heard: { type, requestId: data.readUInt32BE(1), bytes: data.length } };
  const m = decodeMessage(new Uint8Array(data));
  return { heard: { type: m.type, requestId: 0, bytes: data.length }, m };
}

export interface RawPeer {
  readonly ws: WebSocket;
  readonly nodeId: Bytes;
  /** The node's HELLO. */
  readonly hello: Hello;
  /** Every message the node sent after its HELLO. */
  readonly got: Heard[];
  /** When the node last sent anything (ms). */
  lastAt: number;
  /** The node's DISCONNECT reason, once one came. */
  disconnect: DisconnectReason | undefined;
  readonly closed: Promise<void>;
  isClosed: boolean;
  send(m: Message): void;
}

/** The node refused the connection before its HELLO (a banned IP, a storm over its cap), with this reason. */
export class RefusedError extends Error {
  constructor(readonly reason: DisconnectReason | undefined, url: string) {
    super(`${url} refused the connection before its HELLO${reason ? ` (${reason})` : ''}`);
  }
}

/** Connects to `url` and completes a handshake under `nodeId` (our HELLO is the node's own, under our id). Rejects with RefusedError when refused first. */
export function joinAsPeer(url: string, nodeId: Bytes = randomBytes(32)): Promise<RawPeer> {
  const ws = new WebSocket(url, WS_OPTIONS);
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((r) => { resolveClosed = r; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { ws.terminate(); reject(new Error(`no HELLO from ${url} within ${JOIN_TIMEOUT_MS} ms`)); }, JOIN_TIMEOUT_MS);
    let peer: RawPeer | undefined;
    let refused: DisconnectReason | undefined;
    ws.on('error', (e) => { clearTimeout(timer); if (!peer) reject(e); });
    ws.on('close', () => {
      clearTimeout(timer);
      if (peer) peer.isClosed = true;
      resolveClosed();
      if (!peer) reject(new RefusedError(refused, url));
    });
    ws.on('message', (data: Buffer) => {
      const { heard, m } = hear(data);
      if (!peer) {
        if (m?.type === 'DISCONNECT') refused = m.reason;
        if (m?.type !== 'HELLO') return;
        clearTimeout(timer);
        peer = {
          ws, nodeId, hello: m, got: [], lastAt: Date.now(), disconnect: undefined, closed, isClosed: false,
          send: (x) => { if (ws.readyState === ws.OPEN) ws.send(encodeMessage(x), { binary: true }); },
        };
        peer.send({ ...m, nodeId, listenPort: 0 });
        resolve(peer);
        return;
      }
      peer.got.push(heard);
      peer.lastAt = Date.now();
      if (m?.type === 'DISCONNECT') peer.disconnect = m.reason;
    });
  });
}

/** Waits until the node has closed `p`, or said nothing for QUIET_MS. */
async function quiet(p: RawPeer): Promise<void> {
  while (!p.isClosed && Date.now() - p.lastAt < QUIET_MS) await sleep(50);
}

export type ProbeResult = 'admitted' | DisconnectReason | 'silent';

/** Joins under `nodeId` and sends a PING: 'admitted' when it is answered, else the DISCONNECT reason (or 'silent'). */
export async function probe(url: string, nodeId: Bytes): Promise<ProbeResult> {
  let p: RawPeer;
  try {
    p = await joinAsPeer(url, nodeId);
  } catch (e) {
    if (e instanceof RefusedError) return e.reason ?? 'silent';
    throw e;
  }
  try {
    p.send({ type: 'PING', requestId: 1 });
    const end = Date.now() + JOIN_TIMEOUT_MS;
    while (Date.now() < end && !p.isClosed && !p.got.some((x) => x.type === 'PONG') && p.disconnect === undefined) await sleep(10);
    if (p.disconnect !== undefined) return p.disconnect;
    return p.got.some((x) => x.type === 'PONG') ? 'admitted' : 'silent';
  } finally {
    p.ws.terminate();
  }
}

export interface BurstResult {
  readonly nodeId: Bytes;
  readonly sent: number;
  readonly answered: number;
  /** How the node ended the connection (undefined: it did not). */
  readonly disconnect: DisconnectReason | undefined;
}

/** Sends `n` PINGs at once and counts the PONGs until the node drops us or goes quiet. */
export async function pingBurst(url: string, n: number): Promise<BurstResult> {
  const p = await joinAsPeer(url);
  try {
    for (let i = 1; i <= n; i++) p.send({ type: 'PING', requestId: i });
    p.lastAt = Date.now();
    await quiet(p);
    return { nodeId: p.nodeId, sent: n, answered: p.got.filter((x) => x.type === 'PONG').length, disconnect: p.disconnect };
  } finally {
    p.ws.terminate();
  }
}

/** The biggest answers the node can give: its biggest recent root block 200 times, 1,000 root headers, a shard's tip block 100 times. */
function floodRequests(h: Hello, bigRoot: Bytes): Array<(requestId: number) => RequestMessage> {
  const rootHashes = Array.from({ length: MAX_ROOT_BLOCKS }, () => bigRoot);
  const out: Array<(requestId: number) => RequestMessage> = [
    (requestId) => ({ type: 'GET_ROOT_BLOCKS', requestId, hashes: rootHashes }),
    (requestId) => ({ type: 'GET_ROOT_HEADERS', requestId, origin: { kind: 'height', height: 0 }, limit: MAX_ROOT_HEADERS, skip: 0, direction: 'toTip' }),
  ];
  for (const tip of h.shardTips) {
    const hashes = Array.from({ length: MAX_SHARD_BLOCKS }, () => minorHeaderHash(tip));
    out.push((requestId) => ({ type: 'GET_SHARD_BLOCKS', requestId, shardId: tip.branch, hashes }));
  }
  return out;
}

/** How far back from the tip the flood looks for the biggest root block to ask for. */
const RECENT_ROOTS = 16;
/** Request ids of the flood's own one-off questions, above any the flood itself uses. */
const ASK_ID = 0x7fff0000;

/** Sends one request outside the flood and resolves with its answer decoded in full (undefined if none comes). */
function ask(p: RawPeer, m: RequestMessage): Promise<Message | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), JOIN_TIMEOUT_MS);
    const onFrame = (data: Buffer): void => {
      const type = typeOfCode(data[0] ?? 0);
      if (type === undefined || !RESPONSE_TYPES.has(type) || data.readUInt32BE(1) !== m.requestId) return;
      p.ws.off('message', onFrame);
      clearTimeout(timer);
      resolve(decodeMessage(new Uint8Array(data)));
    };
    p.ws.on('message', onFrame);
    p.closed.then(() => { clearTimeout(timer); resolve(undefined); }, () => undefined);
    p.send(m);
  });
}

/** The hash of the biggest of the node's last RECENT_ROOTS root blocks (its tip when it does not say). */
async function biggestRecentRoot(p: RawPeer): Promise<Bytes> {
  const tip = rootHeaderHash(p.hello.rootTip);
  const headers = await ask(p, { type: 'GET_ROOT_HEADERS', requestId: ASK_ID, origin: { kind: 'hash', hash: tip }, limit: RECENT_ROOTS, skip: 0, direction: 'toGenesis' });
  if (headers?.type !== 'ROOT_HEADERS' || headers.headers.length === 0) return tip;
  const blocks = await ask(p, { type: 'GET_ROOT_BLOCKS', requestId: ASK_ID + 1, hashes: headers.headers.map(rootHeaderHash) });
  if (blocks?.type !== 'ROOT_BLOCKS' || blocks.blocks.length === 0) return tip;
  const sizes = blocks.blocks.map((b) => encodeRootBlock(b).length);
  return rootBlockHash(blocks.blocks[sizes.indexOf(Math.max(...sizes))]!);
}

export interface FloodResult {
  /** Connections used (a new node id after each drop). */
  readonly sessions: number;
  readonly sent: number;
  readonly answered: number;
  /** Requests never answered: refused by the node's budget (or cut off by its drop). */
  readonly refused: number;
  /** Response bytes the node sent us, in all, and at most in one session. */
  readonly bytes: number;
  readonly maxSessionBytes: number;
  /** The longest session (s), for the budget's bound. */
  readonly maxSessionSec: number;
  /** Why the node ended each session it ended. */
  readonly disconnects: readonly DisconnectReason[];
  /** The node id of the first session (dropped first). */
  readonly firstId: Bytes;
}

/**
 * One session of the flood (see FloodKind) until the node drops us or `end` (ms) passes. A node
 * answers root requests in the order they came (served from the root index in its main thread,
 * with no wait), so once a later root request is answered, an earlier one still unanswered was
 * refused, and its slot is free at once; the markers, small enough to fit what is left of a byte
 * budget, are such later answers.
 */
async function floodSession(url: string, end: number, kind: FloodKind): Promise<{ sent: number; answered: number; bytes: number; sec: number; disconnect: DisconnectReason | undefined; nodeId: Bytes }> {
  const p = await joinAsPeer(url);
  const requests = floodRequests(p.hello, await biggestRecentRoot(p));
  const t0 = Date.now();
  const marker = (requestId: number): RequestMessage => ({ type: 'GET_ROOT_HEADERS', requestId, origin: { kind: 'height', height: 0 }, limit: 1, skip: 0, direction: 'toTip' });
  const rootKind = new Set<number>();
  const inFlight = new Map<number, number>();
  const answered = new Set<number>();
  /** The largest answer seen to each kind of request: once each kind was tried, the flood asks for the biggest only. */
  const biggest = requests.map(() => 0);
  const kindOf = new Map<number, number>();
  let bytes = 0;
  let next = 1;
  let seen = 0;
  const take = (): void => {
    for (; seen < p.got.length; seen++) {
      const h = p.got[seen]!;
      if (!RESPONSE_TYPES.has(h.type) || h.requestId >= ASK_ID) continue; // a one-off question's answer
      answered.add(h.requestId);
      inFlight.delete(h.requestId);
      bytes += h.bytes;
      if (rootKind.has(h.requestId)) for (const id of inFlight.keys()) if (id < h.requestId && rootKind.has(id)) inFlight.delete(id);
      const k = kindOf.get(h.requestId);
      if (k !== undefined) biggest[k] = Math.max(biggest[k]!, h.bytes);
    }
  };
  const pick = (n: number): number => (n < requests.length ? n : biggest.indexOf(Math.max(...biggest)));
  let data = 0;
  try {
    while (!p.isClosed && Date.now() < end) {
      take();
      const now = Date.now();
      for (const [id, at] of inFlight) if (now - at > REFUSAL_WAIT_MS) inFlight.delete(id);
      const paced = (): boolean => kind === 'requests' || data < ((now - t0) / 1000) * BYTES_FLOOD_RATE;
      while (inFlight.size < FLOOD_WINDOW && paced()) {
        const id = next++;
        let m: RequestMessage;
        if (data++ % 2 === 1) {
          m = marker(id);
        } else {
          const k = pick(data >> 1);
          kindOf.set(id, k);
          m = requests[k]!(id);
        }
        if (m.type === 'GET_ROOT_HEADERS' || m.type === 'GET_ROOT_BLOCKS') rootKind.add(id);
        p.send(m);
        inFlight.set(id, now);
      }
      if (kind === 'requests') p.send({ type: 'PING', requestId: next++ });
      await sleep(TICK_MS);
    }
    if (!p.isClosed) await sleep(QUIET_MS); // the last answers
    take();
    return { sent: next - 1, answered: answered.size, bytes, sec: (Date.now() - t0) / 1000, disconnect: p.disconnect, nodeId: p.nodeId };
  } finally {
    p.ws.terminate();
  }
}

/** Floods `url` for `durationMs`, under a new node id whenever the node drops us. */
/**
 * Floods `url` for `durationMs` with sessions of `kind`, each reconnecting under a fresh id when
 * the last was dropped. `untilDropped`: stop at the first session the node drops for its requests
 * (BAD_REQUEST), so a caller waits for the drop however slow a loaded machine makes it, up to the duration.
 */
export async function requestFlood(url: string, durationMs: number, kind: FloodKind, untilDropped = false): Promise<FloodResult> {
  const end = Date.now() + durationMs;
  const r = { sessions: 0, sent: 0, answered: 0, bytes: 0, maxSessionBytes: 0, maxSessionSec: 0, disconnects: [] as DisconnectReason[], firstId: new Uint8Array(0) as Bytes };
  while (Date.now() < end) {
    let s: Awaited<ReturnType<typeof floodSession>>;
    try {
      s = await floodSession(url, end, kind);
    } catch (e) {
      if (!(e instanceof RefusedError)) throw e;
      if (e.reason !== undefined) r.disconnects.push(e.reason);
      break; // refused at connection (our IP is banned): the flood is over
    }
    if (r.sessions++ === 0) r.firstId = s.nodeId;
    r.sent += s.sent;
    r.answered += s.answered;
    r.bytes += s.bytes;
    r.maxSessionBytes = Math.max(r.maxSessionBytes, s.bytes);
    r.maxSessionSec = Math.max(r.maxSessionSec, s.sec);
    if (s.disconnect !== undefined) r.disconnects.push(s.disconnect);
    if (untilDropped && s.disconnect === 'BAD_REQUEST') break;
  }
  return { ...r, refused: r.sent - r.answered };
}

export interface StormResult {
  readonly connections: number;
  /** Connections that got a DISCONNECT with a reason. */
  readonly refused: number;
  /** Refused connections closed within 1 s of opening. */
  readonly refusedClosedWithin1s: number;
  /** The longest a refused connection stayed open (ms). */
  readonly slowestCloseMs: number;
  /** Connections that got the node's HELLO (waiting for ours, within the node's pending cap). */
  readonly greeted: number;
  /** Connections that got neither within the wait. */
  readonly unanswered: number;
  readonly reasons: readonly DisconnectReason[];
}

/** How long the storm waits for every connection to be answered, and the refused ones to close. */
const STORM_WAIT_MS = 5_000;
const CLOSE_WITHIN_MS = 1_000;

/** Opens `n` connections at once, sends nothing, and records how each is answered and when refused ones close. */
export async function connectionStorm(url: string, n: number): Promise<StormResult> {
  const conns = Array.from({ length: n }, () => {
    const ws = new WebSocket(url, WS_OPTIONS);
    const c = { ws, openAt: 0, closeAt: 0, reason: undefined as DisconnectReason | undefined, greeted: false };
    ws.on('open', () => { c.openAt = Date.now(); });
    ws.on('message', (data: Buffer) => {
      const m = decodeMessage(new Uint8Array(data));
      if (m.type === 'HELLO') c.greeted = true;
      if (m.type === 'DISCONNECT') c.reason = m.reason;
    });
    ws.on('close', () => { c.closeAt = Date.now(); });
    ws.on('error', () => undefined);
    return c;
  });
  const end = Date.now() + STORM_WAIT_MS;
  const settled = (): boolean => conns.every((c) => c.greeted || (c.reason !== undefined && c.closeAt > 0) || (c.openAt === 0 && c.closeAt > 0));
  while (!settled() && Date.now() < end) await sleep(20);
  for (const c of conns) c.ws.terminate();
  const refused = conns.filter((c) => c.reason !== undefined);
  const lived = refused.map((c) => (c.closeAt > 0 ? c.closeAt - c.openAt : Infinity));
  return {
    connections: n,
    refused: refused.length,
    refusedClosedWithin1s: lived.filter((ms) => ms <= CLOSE_WITHIN_MS).length,
    slowestCloseMs: Math.max(0, ...lived),
    greeted: conns.filter((c) => c.greeted && c.reason === undefined).length,
    unanswered: conns.filter((c) => !c.greeted && c.reason === undefined).length,
    reasons: [...new Set(refused.map((c) => c.reason!))],
  };
}
