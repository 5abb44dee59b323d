/** In-thread harness for xshard tests: rings and doorbells as two workers would hold them. */
import { Doorbell, createDoorbell } from '../../../src/channel/doorbell.js';
import { Ring, createRing, type RingInit } from '../../../src/channel/ring.js';
import type { XshardMessage } from '../../../src/channel/fragment.js';
import { XshardReceiver, XshardSender, type XshardSenderOptions } from '../../../src/channel/xshardChannel.js';
import type { ChainError } from '../../../src/core/errors.js';

export interface Received { readonly source: number; readonly msg: XshardMessage }

/** One destination with `sources` incoming rings, each with its own sender and source doorbell. */
export class Harness {
  readonly destBell = new Doorbell(createDoorbell());
  readonly sourceBells: Doorbell[] = [];
  readonly rings: Ring[] = [];
  readonly senders: XshardSender[] = [];
  readonly received: Received[] = [];
  readonly errors: Array<{ source: number; err: ChainError }> = [];
  receiver: XshardReceiver | null = null;
  /** Replaces the default store (record and resolve at once). */
  store: (source: number, msg: XshardMessage) => Promise<void> = async () => undefined;

  constructor(sources: number, capacity: number, init: RingInit = {}, opts: Partial<XshardSenderOptions> = {}) {
    for (let i = 0; i < sources; i++) {
      const sab = createRing(capacity, init);
      const bell = new Doorbell(createDoorbell());
      bell.start();
      this.sourceBells.push(bell);
      this.rings.push(new Ring(sab));
      this.senders.push(new XshardSender({ ...opts, ring: new Ring(sab), peerBell: this.destBell, ownBell: bell }));
    }
  }

  /** Creates the receiver and starts the destination's doorbell. */
  startReceiver(): void {
    this.receiver = new XshardReceiver({
      ownBell: this.destBell,
      sources: this.rings.map((ring, i) => ({ sourceIndex: i, ring, peerBell: this.sourceBells[i]! })),
      onMessage: async (source, msg) => {
        this.received.push({ source, msg });
        await this.store(source, msg);
      },
      onError: (source, err) => { this.errors.push({ source, err }); },
    });
    this.destBell.start();
  }

  stop(): void {
    this.receiver?.close();
    for (const s of this.senders) s.close();
    this.destBell.stop();
    for (const b of this.sourceBells) b.stop();
  }
}
