/**
 * JSON-RPC 2.0 envelopes: one request or a batch in, the reply text out (null when every
 * request was a notification). Malformed JSON, bad envelopes, unknown methods and bad params
 * become error objects with the standard codes; nothing a client sends throws out of here.
 */
import type { CallContext, MethodTable } from './context.js';
import { INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, RpcError, toRpcError } from './errors.js';
import { isPlainObject, type Json } from './json.js';

/** Requests in one batch (go-ethereum allows 1000; 100 covers a miner's or a stats tool's batches). */
export const DEFAULT_MAX_BATCH = 100;
/** Longest method name echoed back in an error message. */
const MAX_NAME_ECHO = 64;

type Id = string | number | null;

export interface Reply {
  readonly jsonrpc: '2.0';
  readonly id: Id;
  readonly result?: Json;
  readonly error?: { readonly code: number; readonly message: string; readonly data?: Json };
}

export function errorReply(id: Id, e: RpcError): Reply {
  return { jsonrpc: '2.0', id, error: e.data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data: e.data } };
}

function isId(v: unknown): v is Id {
  return v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

/** One request object; null for a notification (no `id`), which gets no reply. */
async function handleOne(req: unknown, methods: MethodTable, ctx: CallContext): Promise<Reply | null> {
  if (!isPlainObject(req)) return errorReply(null, new RpcError(INVALID_REQUEST, 'a request must be an object'));
  const hasId = Object.prototype.hasOwnProperty.call(req, 'id');
  const id = hasId && isId(req.id) ? req.id : null;
  if (hasId && !isId(req.id)) return errorReply(null, new RpcError(INVALID_REQUEST, 'id must be a string, a number or null'));
  if (req.jsonrpc !== '2.0') return errorReply(id, new RpcError(INVALID_REQUEST, 'jsonrpc must be "2.0"'));
  if (typeof req.method !== 'string') return errorReply(id, new RpcError(INVALID_REQUEST, 'method must be a string'));
  if (req.params !== undefined && (typeof req.params !== 'object' || req.params === null)) {
    return errorReply(id, new RpcError(INVALID_REQUEST, 'params must be an array or an object'));
  }
  const spec = methods.get(req.method);
  let reply: Reply;
  if (!spec || (spec.private && !ctx.privateAllowed)) {
    reply = errorReply(id, new RpcError(METHOD_NOT_FOUND, `method not found: ${req.method.slice(0, MAX_NAME_ECHO)}`));
  } else {
    try {
      reply = { jsonrpc: '2.0', id, result: (await spec.handler(req.params, ctx)) ?? null };
    } catch (e) {
      reply = errorReply(id, toRpcError(e));
    }
  }
  return hasId ? reply : null;
}

/** Handles a message body; returns the reply text, or null when nothing is to be sent back. */
export async function handleMessage(text: string, methods: MethodTable, ctx: CallContext, maxBatch = DEFAULT_MAX_BATCH): Promise<string | null> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return JSON.stringify(errorReply(null, new RpcError(PARSE_ERROR, 'parse error: invalid JSON')));
  }
  if (!Array.isArray(body)) {
    const r = await handleOne(body, methods, ctx);
    return r ? JSON.stringify(r) : null;
  }
  if (body.length === 0) return JSON.stringify(errorReply(null, new RpcError(INVALID_REQUEST, 'empty batch')));
  if (body.length > maxBatch) return JSON.stringify(errorReply(null, new RpcError(INVALID_REQUEST, `batch of ${body.length} exceeds the limit of ${maxBatch}`)));
  const replies = (await Promise.all(body.map((r) => handleOne(r, methods, ctx)))).filter((r): r is Reply => r !== null);
  return replies.length ? JSON.stringify(replies) : null;
}
