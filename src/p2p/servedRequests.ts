/**
 * The peer's requests to us (src/p2p/peer.ts): each is admitted by InboundRequests (no duplicate
 * id, a cap in flight), answered by the owner's handler within the request timeout (past it the
 * requester has given up), and dropped unanswered when the handler fails or answers the wrong type.
 */
import { RESPONSE_TO, type Message, type RequestMessage } from './messages.js';
import { InboundRequests, type PeerFault } from './peerRules.js';
import type { ResponseBody, ServedRequest } from './peerOptions.js';

export interface ServeHooks {
  readonly answer: (m: ServedRequest) => Promise<ResponseBody>;
  /** Sends the response; false when the connection is no longer ready (the answer is dropped). */
  readonly send: (m: Message) => boolean;
  readonly canSend: () => boolean;
  readonly onFault: (f: PeerFault) => void;
}

export class ServedRequests {
  private readonly inbound: InboundRequests;
  /** Ends the wait of each request being served, so that closing leaves no timer behind. */
  private readonly serving = new Set<() => void>();

  constructor(maxInFlight: number, private readonly timeoutMs: number, private readonly h: ServeHooks) {
    this.inbound = new InboundRequests(maxInFlight);
  }

  /** A request arrived (PING is answered at once). */
  onRequest(m: RequestMessage): void {
    const d = this.inbound.begin(m.requestId);
    if (!d.ok) {
      this.h.onFault(d);
      return;
    }
    if (m.type === 'PING') {
      this.inbound.end(m.requestId);
      this.h.send({ type: 'PONG', requestId: m.requestId });
      return;
    }
    void this.serve(m);
  }

  /** The connection ended: stop waiting for every answer. */
  stopAll(): void {
    for (const stop of this.serving) stop();
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
      this.h.send({ ...body, requestId: m.requestId });
    } catch {
      this.inbound.end(m.requestId); // the handler could not answer: the requester times out
    } finally {
      clearTimeout(timer);
      this.serving.delete(stop);
    }
  }
}
