/**
 * What the coordinator and RPC see of P2P (DESIGN §1, §10): whether a root sync runs (the root
 * sealing loop holds while it does) and the handshaken peers. The node root creates one
 * `P2pSlot` and hands it to the coordinator at construction; the P2P node, started after the
 * coordinator, fills it while it runs. Without P2P the slot stays empty: not syncing, no peers.
 */

import type { TipsSnapshot } from '../p2p/tipRules.js';

/** One handshaken peer as RPC shows it (getPeers). */
export interface PeerInfo {
  /** Its node id, hex. */
  readonly id: string;
  /** "host:port" of the connection. */
  readonly address: string;
  readonly direction: 'inbound' | 'outbound';
  /** The tips it last announced (HELLO, NEW_ROOT_TIP, NEW_SHARD_TIP, header responses). */
  readonly tips: TipsSnapshot;
  /** Its score now (p2p/peerScore.ts: SCORE_MAX when it never misbehaved; dropped at the threshold). */
  readonly score: number;
}

export interface P2pView {
  /** A root sync task runs or waits. */
  syncing(): boolean;
  /** Handshaken peers, as "host:port". */
  peers(): string[];
  /** Handshaken peers in detail. */
  peerInfo(): PeerInfo[];
}

/** A late-bound P2pView: empty until `attach`, empty again after `detach`. */
export class P2pSlot implements P2pView {
  private view: P2pView | null = null;

  /** Fills the slot; the returned function empties it again (if `view` is still the one attached). */
  attach(view: P2pView): () => void {
    this.view = view;
    return () => {
      if (this.view === view) this.view = null;
    };
  }

  get attached(): boolean {
    return this.view !== null;
  }

  syncing(): boolean {
    return this.view?.syncing() ?? false;
  }

  peers(): string[] {
    return this.view?.peers() ?? [];
  }

  peerInfo(): PeerInfo[] {
    return this.view?.peerInfo() ?? [];
  }
}
