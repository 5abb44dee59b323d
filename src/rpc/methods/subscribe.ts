/** `subscribe('newHeads', fullShardId|null)`, `subscribe('nodeStatus')` and `unsubscribe(id)`: WebSocket only. */
import type { CallContext } from '../context.js';
import { invalidParams, METHOD_NOT_FOUND, RpcError } from '../errors.js';
import type { Json } from '../json.js';
import { arity, asArray, keyOrRoot } from '../params.js';
import type { Session } from '../subscriptions.js';
import { requireShard } from './chain.js';

function sessionOf(ctx: CallContext): Session {
  if (!ctx.session) throw new RpcError(METHOD_NOT_FOUND, 'subscriptions need a WebSocket connection');
  return ctx.session;
}

export async function subscribe(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 3);
  const session = sessionOf(ctx);
  if (p[0] === 'nodeStatus') return session.subscribeStatus();
  if (p[0] !== 'newHeads') throw invalidParams(`unsupported subscription type ${JSON.stringify(p[0]).slice(0, 40)} (supported: newHeads, nodeStatus)`);
  const key = keyOrRoot(p[1], 'fullShardId');
  const shardId = key === null ? null : requireShard(ctx.node, key);
  return session.subscribe(shardId);
}

export async function unsubscribe(params: unknown, ctx: CallContext): Promise<Json> {
  const p = asArray(params);
  arity(p, 1, 1);
  const session = sessionOf(ctx);
  if (typeof p[0] !== 'string') throw invalidParams('expected a subscription id');
  return session.unsubscribe(p[0]);
}
