/**
 * WebSocket subscriptions (QuarkChain's `subscribe('newHeads', fullShardId)` / `unsubscribe(id)`):
 * each new canonical tip of a shard (or of the root, with a null key: shardminer's extension) is
 * pushed as `{method: 'subscription', params: {subscription, result: header}}`. The hub listens
 * to the coordinator once and fans out; each connection holds at most a few subscriptions.
 */
import { randomBytes } from 'node:crypto';
import { toHex } from '../core/bytes.js';
import { decodeMinorHeader } from '../core/minorBlock.js';
import type { RootBlock } from '../core/rootBlock.js';
import type { CoordinatorEvents } from '../cluster/coordinator.js';
import type { EventSource } from '../core/emitter.js';
import type { BlockEvent } from '../shard/protocol.js';
import { minorHeaderJson, rootHeaderJson } from './encode.js';
import { LIMIT_EXCEEDED, RpcError } from './errors.js';
import type { Json } from './json.js';

/** Subscriptions one connection may hold. */
export const MAX_SUBSCRIPTIONS_PER_SESSION = 16;
/** Subscription ids: 16 random bytes, as QuarkChain's. */
const SUBSCRIPTION_ID_BYTES = 16;
/** The root chain in subscription keys. */
const ROOT = -1;
/** The whole node's status (`subscribe('nodeStatus')`), in subscription keys. */
const NODE_STATUS = -2;

export class Session {
  private readonly subs = new Map<string, number>();

  constructor(private readonly hub: SubscriptionHub, private readonly send: (text: string) => void) {}

  /** Subscribes to new heads of shard `shardId`, or of the root when null; returns the id. */
  subscribe(shardId: number | null): string {
    if (this.subs.size >= MAX_SUBSCRIPTIONS_PER_SESSION) throw new RpcError(LIMIT_EXCEEDED, `at most ${MAX_SUBSCRIPTIONS_PER_SESSION} subscriptions per connection`);
    const id = toHex(randomBytes(SUBSCRIPTION_ID_BYTES));
    this.subs.set(id, shardId ?? ROOT);
    return id;
  }

  /** Subscribes to the whole node's status, one message a second (`nodeStatus`); returns the id. */
  subscribeStatus(): string {
    const id = this.subscribe(null);
    this.subs.set(id, NODE_STATUS);
    return id;
  }

  unsubscribe(id: string): boolean {
    return this.subs.delete(id);
  }

  /** Subscription ids of this session that follow `chain` (a shard id or ROOT). */
  idsFor(chain: number): string[] {
    const out: string[] = [];
    for (const [id, c] of this.subs) if (c === chain) out.push(id);
    return out;
  }

  notify(id: string, result: Json): void {
    this.send(JSON.stringify({ jsonrpc: '2.0', method: 'subscription', params: { subscription: id, result } }));
  }

  close(): void {
    this.subs.clear();
    this.hub.drop(this);
  }
}

export class SubscriptionHub {
  private readonly sessions = new Set<Session>();
  private readonly unsubscribe: (() => void)[];

  constructor(events: EventSource<CoordinatorEvents>) {
    this.unsubscribe = [
      events.on('block', (shardId: number, ev: BlockEvent) => {
        if (ev.isTip) this.fanOut(shardId, () => minorHeaderJson(decodeMinorHeader(ev.header)));
      }),
      events.on('rootTip', (rb: RootBlock) => this.fanOut(ROOT, () => rootHeaderJson(rb))),
    ];
  }

  open(send: (text: string) => void): Session {
    const s = new Session(this, send);
    this.sessions.add(s);
    return s;
  }

  drop(s: Session): void {
    this.sessions.delete(s);
  }

  /** Sends a node status message to every `nodeStatus` subscription. */
  publishStatus(encode: () => Json): void {
    this.fanOut(NODE_STATUS, encode);
  }

  /** Encodes the head once, and only if someone follows `chain`. */
  private fanOut(chain: number, encode: () => Json): void {
    let result: Json | undefined;
    for (const s of this.sessions) {
      for (const id of s.idsFor(chain)) {
        result ??= encode();
        s.notify(id, result);
      }
    }
  }

  close(): void {
    for (const off of this.unsubscribe.splice(0)) off();
    this.sessions.clear();
  }
}
