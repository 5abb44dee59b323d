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
import type { Coordinator } from '../cluster/coordinator.js';
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
  private readonly onBlock = (shardId: number, ev: BlockEvent): void => {
    if (ev.isTip) this.fanOut(shardId, () => minorHeaderJson(decodeMinorHeader(ev.header)));
  };
  private readonly onRoot = (rb: RootBlock): void => this.fanOut(ROOT, () => rootHeaderJson(rb));

  constructor(private readonly node: Coordinator) {
    node.blockListeners.push(this.onBlock);
    node.rootListeners.push(this.onRoot);
  }

  open(send: (text: string) => void): Session {
    const s = new Session(this, send);
    this.sessions.add(s);
    return s;
  }

  drop(s: Session): void {
    this.sessions.delete(s);
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
    const bl = this.node.blockListeners.indexOf(this.onBlock);
    if (bl >= 0) this.node.blockListeners.splice(bl, 1);
    const rl = this.node.rootListeners.indexOf(this.onRoot);
    if (rl >= 0) this.node.rootListeners.splice(rl, 1);
    this.sessions.clear();
  }
}
