/**
 * JSON-RPC 2.0 error codes and the mapping of chain errors onto them. The standard codes come
 * from the JSON-RPC 2.0 specification; −32000 and −32005 are in its server-error range with
 * the meanings go-ethereum gives them.
 */
import { ChainError, isRpcParamError } from '../core/errors.js';
import type { Json } from './json.js';

export const PARSE_ERROR = -32700;
export const INVALID_REQUEST = -32600;
export const METHOD_NOT_FOUND = -32601;
export const INVALID_PARAMS = -32602;
export const INTERNAL_ERROR = -32603;
/** A chain rule rejected the request (a transaction, a block); `data.code` is the stable chain code. */
export const REJECTED = -32000;
/** Too many requests in flight, too many subscriptions or connections. */
export const LIMIT_EXCEEDED = -32005;

export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: Json) {
    super(message);
    this.name = 'RpcError';
  }
}

export const invalidParams = (message: string): RpcError => new RpcError(INVALID_PARAMS, message);

/**
 * Any thrown value as an RpcError: malformed input (the catalogue's `rpcParam` codes) → −32602,
 * chain rejections → −32000, our failures → −32603.
 */
export function toRpcError(e: unknown): RpcError {
  if (e instanceof RpcError) return e;
  const c = ChainError.from(e);
  if (isRpcParamError(c.code)) return new RpcError(INVALID_PARAMS, c.message, { code: c.code });
  if (c.cls === 'internal') return new RpcError(INTERNAL_ERROR, c.message, { code: c.code });
  return new RpcError(REJECTED, c.message, { code: c.code });
}
