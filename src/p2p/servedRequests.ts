/**
 * The peer's requests to us (src/p2p/peer.ts): each is admitted by InboundRequests (no duplicate
 * id, a cap in flight) and by the peer's budget (peerBudget.ts: requests and bytes per second),
 * answered by the owner's handler within the request timeout (past it the requester has given
 * up), and dropped unanswered when the handler fails or answers the wrong type, or when the
 * answer does not fit the byte budget. A refusal by the budget is a non-fatal fault.
 */
import type { Bytes } from '../core/bytes.js';
import { encodeMessage, RESPONSE_TO, type RequestMessage, type ResponseMessage } from './messages.js';
import { InboundRequests, type PeerFault } from './peerRules.js';
import { DEFAULT_BUDGET, PeerBudget } from './peerBudget.js';
import type { ResponseBody, ServedRequest } from './peerOptions.js';

export interface ServeHooks {
  readonly answer: (m: ServedRequest) => Promise<ResponseBody>;
  /** Sends an encoded response; false when the connection is no longer ready (the answer is dropped). */
  readonly send: (frame: Bytes) => boolean;
  readonly canSend: () => boolean;
  readonly onFault: (f: PeerFault) => void;
  readonly now: () => number;
}

export class ServedRequests {
  private readonly inbound: InboundRequests;
  readonly budget: PeerBudget;
  /** Ends the wait of each request being served, so that closing leaves no timer behind. */
  private readonly serving = new Set<() => void>();

  constructor(maxInFlight: number, private readonly timeoutMs: number, private readonly h: ServeHooks, budget?: PeerBudget) {
    this.inbound = new InboundRequests(maxInFlight);
    this.budget = budget ?? new PeerBudget(DEFAULT_BUDGET, h.now());
  }

  /** A request arrived (PING is answered at once). */
  onRequest(m: RequestMessage): void {
    let d = this.inbound.begin(m.requestId);
    if (d.ok) {
      d = this.budget.admit(m.type, this.h.now());
      if (!d.ok) this.inbound.end(m.requestId);
    }
    if (!d.ok) {
      this.h.onFault(d);
      return;
    }
    if (m.type === 'PING') {
      this.inbound.end(m.requestId);
      this.h.send(encodeMessage({ type: 'PONG', requestId: m.requestId })); // 5 bytes, paid for by the PING's request token
      return;
    }
    void this.serve(m);
  }

  /** The connection ended: stop waiting for every answer. */
  stopAll(): void {
    for (const stop of this.serving) stop();
  }

  /** Sends a response if its frame fits the byte budget; a refusal is the peer's fault. */
  private reply(res: Exclude<ResponseMessage, { type: 'PONG' }>): void {
    const frame = encodeMessage(res);
    const d = this.budget.spend(frame.length, this.h.now());
    if (d.ok) this.h.send(frame);
    else this.h.onFault(d);
  }

  private async serve(m: ServedRequest): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    let stop: () => void = () => undefined;
    try {
      const deadline = new Promise<undefined>((resolve) => {
        stop = () => resolve(undefined);
        timer = setTimeout(stop, this.timeoutMs);
      });
      this.serving.add(stop);
      const body = await Promise.race([this.h.answer(m), deadline]);
      this.inbound.end(m.requestId);
      if (body === undefined || body.type !== RESPONSE_TO[m.type] || !this.h.canSend()) return;
      this.reply({ ...body, requestId: m.requestId });
    } catch {
      this.inbound.end(m.requestId); // the handler could not answer: the requester times out
    } finally {
      clearTimeout(timer);
      this.serving.delete(stop);
    }
  }
}
