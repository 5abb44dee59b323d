/**
 * A small JSON-RPC 2.0 client over HTTP POST (Node's fetch) for the miner, stats, send and
 * balance commands. A node that cannot be reached is `internal('RPC_UNREACHABLE')`; a JSON-RPC
 * error reply is an RpcError with the server's code, message and data.
 */
import { internal } from '../core/errors.js';
import { RpcError } from './errors.js';
import { isPlainObject, type Json } from './json.js';

/** A call that takes longer than this is abandoned (QuarkChain's external miner uses 10 s). */
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Socket failures in words. */
const SOCKET_ERRORS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
};

export interface Call {
  readonly method: string;
  readonly params?: readonly unknown[] | Readonly<Record<string, unknown>>;
}

/** One reply of a batch: a result, or the error the server gave for that call. */
export type Outcome = { readonly ok: true; readonly result: unknown } | { readonly ok: false; readonly error: RpcError };

function outcomeOf(r: unknown): Outcome {
  if (!isPlainObject(r)) return { ok: false, error: new RpcError(0, 'malformed JSON-RPC reply') };
  if (isPlainObject(r.error)) {
    const e = r.error;
    return { ok: false, error: new RpcError(typeof e.code === 'number' ? e.code : 0, typeof e.message === 'string' ? e.message : 'error', (e.data ?? undefined) as Json | undefined) };
  }
  return { ok: true, result: r.result };
}

export class RpcClient {
  private nextId = 1;

  constructor(readonly url: string, private readonly timeoutMs = DEFAULT_TIMEOUT_MS) {}

  private async post(body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(this.url, {
        method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw internal('RPC_UNREACHABLE', `cannot reach ${this.url}: ${this.why(e)}`);
    }
    const text = await res.text().catch(() => '');
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw internal('RPC_BAD_REPLY', `${this.url}: HTTP ${res.status}, not JSON-RPC`);
    }
  }

  /** Why a request failed, in words (with the system code, for searching). */
  private why(e: unknown): string {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code;
    if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return `no answer within ${this.timeoutMs / 1000} s`;
    if (code !== undefined && code in SOCKET_ERRORS) return `${SOCKET_ERRORS[code]} (${code})`;
    return code ?? cause?.message ?? (e instanceof Error ? e.message : String(e));
  }

  /** One call; throws the server's RpcError or RPC_UNREACHABLE. */
  async call(method: string, params: Call['params'] = []): Promise<unknown> {
    const o = outcomeOf(await this.post({ jsonrpc: '2.0', id: this.nextId++, method, params }));
    if (!o.ok) throw o.error;
    return o.result;
  }

  /** Several calls in one batch; outcomes in call order. */
  async batch(calls: readonly Call[]): Promise<Outcome[]> {
    const first = this.nextId;
    this.nextId += calls.length;
    const reply = await this.post(calls.map((c, i) => ({ jsonrpc: '2.0', id: first + i, method: c.method, params: c.params ?? [] })));
    if (!Array.isArray(reply)) {
      const o = outcomeOf(reply);
      throw o.ok ? internal('RPC_BAD_REPLY', 'expected a batch reply') : o.error;
    }
    const byId = new Map<unknown, unknown>(reply.map((r) => [isPlainObject(r) ? r.id : undefined, r] as const));
    return calls.map((_, i) => outcomeOf(byId.get(first + i)));
  }
}
