/**
 * Our requests to one peer (reference/sync.md §4): assigns request ids, caps how many are in
 * flight, matches each response to its request, and reports requests that timed out. Pure: the
 * caller passes `nowMs` and runs its own timer (see `nextDeadlineMs`).
 *
 * A response is checked in this order:
 *   unknown id (never issued, or already answered)   P2P_UNREQUESTED        penalty
 *   id of a request that already timed out           P2P_LATE_RESPONSE      penalty (lighter: the
 *                                                    timeout was reported once, go-ethereum's lesson)
 *   arrives at or after its deadline                 P2P_TIMEOUT            penalty
 *   wrong response type, or wrong shard              P2P_RESPONSE_MISMATCH  fatal
 *   more items than asked for                        P2P_TOO_MANY_ITEMS     fatal
 * A response that fails any check still closes its request.
 */
import type { RequestMessage, RequestType, ResponseMessage } from './messageTypes.js';
import { RESPONSE_TO } from './messageTypes.js';
import { peerFault, type PeerFault } from './peerFault.js';

/** Requests in flight to one peer at once (sync.md §4). A PING counts: any answer proves liveness, so an idle peer is the one to ping. */
export const MAX_OUTSTANDING_REQUESTS = 8;
/** Time a peer has to answer (QuarkChain's 30 s RPC timeout; sync.md §4 allows 15–30 s). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** Timed-out ids remembered so that their late answers are told apart from unrequested ones. */
export const REMEMBERED_TIMED_OUT = 2 * MAX_OUTSTANDING_REQUESTS;
/** Request ids are u32; 0 is never issued. */
const MAX_REQUEST_ID = 0xffffffff;

/** `Omit` applied to each member of a union, so the result is still a discriminated union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A request before it has an id. */
export type RequestBody = DistributiveOmit<RequestMessage, 'requestId'>;

export interface PendingRequest {
  readonly id: number;
  readonly type: RequestType;
  /** The shard of a shard request. */
  readonly shardId: number | undefined;
  /** Most items a response may carry: the header limit or the number of hashes (0 for PING). */
  readonly maxItems: number;
  readonly sentMs: number;
  readonly deadlineMs: number;
}

export type IssueResult =
  | { readonly ok: true; readonly message: RequestMessage; readonly request: PendingRequest }
  | { readonly ok: false; readonly code: 'P2P_TOO_MANY_OUTSTANDING'; readonly detail: string };

export type MatchResult = { readonly ok: true; readonly request: PendingRequest } | PeerFault;

export interface TimedOut {
  readonly request: PendingRequest;
  readonly fault: PeerFault;
}

function maxItemsOf(m: RequestBody): number {
  switch (m.type) {
    case 'GET_ROOT_HEADERS':
    case 'GET_SHARD_HEADERS':
      return m.limit;
    case 'GET_ROOT_BLOCKS':
    case 'GET_SHARD_BLOCKS':
      return m.hashes.length;
    case 'PING':
      return 0;
  }
}

function itemsOf(m: ResponseMessage): number {
  switch (m.type) {
    case 'ROOT_HEADERS':
    case 'SHARD_HEADERS':
      return m.headers.length;
    case 'ROOT_BLOCKS':
    case 'SHARD_BLOCKS':
      return m.blocks.length;
    case 'PONG':
      return 0;
  }
}

const shardOf = (m: RequestBody | ResponseMessage): number | undefined => ('shardId' in m ? m.shardId : undefined);

export class RequestTracker {
  private readonly pending = new Map<number, PendingRequest>();
  /** Oldest first, at most REMEMBERED_TIMED_OUT. */
  private readonly timedOut: number[] = [];
  private lastId = 0;

  constructor(private readonly maxOutstanding = MAX_OUTSTANDING_REQUESTS, private readonly timeoutMs = REQUEST_TIMEOUT_MS) {}

  /** Requests in flight. */
  get size(): number {
    return this.pending.size;
  }

  /** Gives `body` a fresh id and starts its clock; refused (our limit, not a fault) when the peer already has the maximum in flight. */
  issue(body: RequestBody, nowMs: number): IssueResult {
    if (this.pending.size >= this.maxOutstanding) {
      return { ok: false, code: 'P2P_TOO_MANY_OUTSTANDING', detail: `${this.pending.size} requests already in flight` };
    }
    const id = this.freshId();
    const request: PendingRequest = {
      id, type: body.type, shardId: shardOf(body), maxItems: maxItemsOf(body), sentMs: nowMs, deadlineMs: nowMs + this.timeoutMs,
    };
    this.pending.set(id, request);
    const message: RequestMessage = { ...body, requestId: id };
    return { ok: true, message, request };
  }

  /** Forgets a request without blaming the peer (it could not be sent, or the peer left). */
  cancel(id: number): void {
    this.pending.delete(id);
  }

  /** Matches a response to its request; on success the request is closed. */
  match(res: ResponseMessage, nowMs: number): MatchResult {
    const req = this.pending.get(res.requestId);
    if (!req) {
      if (this.timedOut.includes(res.requestId)) {
        return peerFault('P2P_LATE_RESPONSE', false, 'TIMEOUT', `${res.type} ${res.requestId} after its request timed out`);
      }
      return peerFault('P2P_UNREQUESTED', false, 'BAD_RESPONSE', `${res.type} ${res.requestId} answers no request in flight`);
    }
    this.pending.delete(req.id);
    if (nowMs >= req.deadlineMs) {
      this.rememberTimedOut(req.id);
      return timeoutFault(req);
    }
    if (RESPONSE_TO[req.type] !== res.type || shardOf(res) !== req.shardId) {
      return peerFault('P2P_RESPONSE_MISMATCH', true, 'BAD_RESPONSE',
        `${res.type}${fmtShard(shardOf(res))} answers ${req.type}${fmtShard(req.shardId)} ${req.id}`);
    }
    const n = itemsOf(res);
    if (n > req.maxItems) return peerFault('P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE', `${res.type} ${req.id}: ${n} items, ${req.maxItems} asked for`);
    return { ok: true, request: req };
  }

  /** Closes and reports every request whose deadline is at or before `nowMs`. */
  expire(nowMs: number): TimedOut[] {
    const out: TimedOut[] = [];
    for (const req of this.pending.values()) {
      if (req.deadlineMs > nowMs) continue;
      this.pending.delete(req.id);
      this.rememberTimedOut(req.id);
      out.push({ request: req, fault: timeoutFault(req) });
    }
    return out;
  }

  /** The earliest deadline in flight, for the caller's timer. */
  nextDeadlineMs(): number | undefined {
    let next: number | undefined;
    for (const req of this.pending.values()) if (next === undefined || req.deadlineMs < next) next = req.deadlineMs;
    return next;
  }

  /** The next u32 id after the last one, skipping 0 and ids still in use or remembered. */
  private freshId(): number {
    do {
      this.lastId = this.lastId >= MAX_REQUEST_ID ? 1 : this.lastId + 1;
    } while (this.pending.has(this.lastId) || this.timedOut.includes(this.lastId));
    return this.lastId;
  }

  private rememberTimedOut(id: number): void {
    this.timedOut.push(id);
    if (this.timedOut.length > REMEMBERED_TIMED_OUT) this.timedOut.shift();
  }
}

function timeoutFault(req: PendingRequest): PeerFault {
  return peerFault('P2P_TIMEOUT', false, 'TIMEOUT', `${req.type} ${req.id} unanswered after ${req.deadlineMs - req.sentMs} ms`);
}

const fmtShard = (id: number | undefined): string => (id === undefined ? '' : `(0x${id.toString(16)})`);
