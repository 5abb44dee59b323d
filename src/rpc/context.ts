/**
 * What a JSON-RPC method sees: the node (coordinator, remote-mining work, stats), whether
 * QuarkChain's private methods are allowed on this server, and the WebSocket session if any.
 */
import { keyToFullShardId } from '../core/branch.js';
import { shardSizeOf } from '../core/config.js';
import type { Coordinator } from '../cluster/coordinator.js';
import type { WorkManager } from '../cluster/work.js';
import type { Json } from './json.js';
import type { NodeStats } from './nodeStats.js';
import type { Session } from './subscriptions.js';
import type { StatusFeed } from './dashboard/statusFeed.js';

export interface RpcNode {
  readonly coordinator: Coordinator;
  readonly work: WorkManager;
  /** `mine --remote`: blocks come from getWork/submitWork only. */
  readonly remote: boolean;
  /** Dev transfers per second (`mine --tx-rate`), kept when `setMining` toggles sealing. */
  readonly txRate: number;
  readonly stats: NodeStats;
  /** The whole node's status (`getNodeStatus`, `subscribe('nodeStatus')`, the dashboard); absent in bare test nodes. */
  readonly feed?: StatusFeed;
}

export interface CallContext {
  readonly node: RpcNode;
  readonly privateAllowed: boolean;
  /** The WebSocket connection the call came on (subscriptions), or null over HTTP. */
  readonly session: Session | null;
}

export type Handler = (params: unknown, ctx: CallContext) => Promise<Json>;

export interface MethodSpec {
  readonly handler: Handler;
  /** QuarkChain's private methods: only on the private port, a loopback address, or with --rpc-private. */
  readonly private?: boolean;
}

export type MethodTable = ReadonlyMap<string, MethodSpec>;

/** The full shard id of the shard a full shard key maps to, or null when this node runs no such shard. */
export function shardIdOfKey(node: RpcNode, key: number): number | null {
  const c = node.coordinator;
  let id: number;
  try {
    id = keyToFullShardId(key, shardSizeOf(c.config));
  } catch {
    return null;
  }
  return c.hasShard(id) ? id : null;
}
