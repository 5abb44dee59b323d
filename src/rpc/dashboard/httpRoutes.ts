/**
 * GET on the JSON-RPC server (DESIGN §11): the dashboard page and its assets, and `/metrics`.
 * Unknown paths are 404; the server answers other methods than GET, HEAD, POST and OPTIONS
 * with 405. Files are read once and kept (they are small and do not change while running).
 */
import { readFile } from 'node:fs/promises';
import type { Asset } from './assets.js';

export interface GetReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export type GetHandler = (url: string) => Promise<GetReply>;

export interface GetRoutesOptions {
  /** URL path → file; empty with --no-dashboard. */
  readonly assets: ReadonlyMap<string, Asset>;
  /** Prometheus text and its content type; null: no /metrics. */
  readonly metrics: { readonly text: () => Promise<string>; readonly type: string } | null;
}

const COMMON = { 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' };
const TEXT = 'text/plain; charset=utf-8';

export const notFound = (): GetReply => ({ status: 404, headers: { ...COMMON, 'Content-Type': TEXT }, body: 'not found\n' });

export function getRoutes(o: GetRoutesOptions): GetHandler {
  const cache = new Map<string, Buffer>();
  return async (url) => {
    const path = url.split('?')[0]!.split('#')[0]!;
    if (path === '/metrics' && o.metrics) {
      return { status: 200, headers: { ...COMMON, 'Content-Type': o.metrics.type }, body: await o.metrics.text() };
    }
    const a = o.assets.get(path);
    if (!a) return notFound();
    let body = cache.get(a.file);
    if (!body) {
      try { body = await readFile(a.file); } catch { return { status: 500, headers: { ...COMMON, 'Content-Type': TEXT }, body: `missing asset ${path}\n` }; }
      cache.set(a.file, body);
    }
    return { status: 200, headers: { ...COMMON, 'Content-Type': a.type }, body };
  };
}
