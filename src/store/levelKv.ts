/**
 * LevelDB (through `level`, i.e. ClassicLevel) behind the KV interface. Keys and values use the
 * 'view' encoding; what LevelDB hands back (Node Buffers) is re-wrapped as plain Uint8Array views,
 * so both KV implementations return the same type (Buffer's `slice` shares memory, which would
 * surprise code written for Uint8Array).
 */
import { mkdir } from 'node:fs/promises';
import { Level } from 'level';
import { internal } from '../core/errors.js';
import type { BatchOp, KV, KvRange } from './kv.js';

type Db = Level<Uint8Array, Uint8Array>;

function plain(b: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(b) === Uint8Array.prototype ? b : new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

function codeOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const c = (e as { code?: unknown }).code;
  return typeof c === 'string' ? c : undefined;
}

/** LevelDB's own file lock: another process (or handle) has this directory open. */
function isLocked(e: unknown): boolean {
  if (codeOf(e) === 'LEVEL_LOCKED') return true;
  return codeOf(e) === 'LEVEL_DATABASE_NOT_OPEN' && codeOf((e as { cause?: unknown }).cause) === 'LEVEL_LOCKED';
}

function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const cause = typeof e === 'object' && e !== null ? (e as { cause?: unknown }).cause : undefined;
  return cause instanceof Error ? `${msg} (${cause.message})` : msg;
}

class LevelKv implements KV {
  constructor(private readonly db: Db) {}

  async get(key: Uint8Array): Promise<Uint8Array | undefined> {
    const v = await this.db.get(key);
    return v === undefined ? undefined : plain(v);
  }

  async getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return [];
    const vs = await this.db.getMany(keys);
    return vs.map((v) => (v === undefined ? undefined : plain(v)));
  }

  async batch(ops: BatchOp[]): Promise<void> {
    if (ops.length === 0) return;
    await this.db.batch(ops);
  }

  async *iterate(range: KvRange): AsyncIterable<[Uint8Array, Uint8Array]> {
    // Only defined bounds are passed: an explicit `undefined` is not "no bound" everywhere.
    const opts: { gte?: Uint8Array; lt?: Uint8Array; reverse?: boolean; limit?: number } = {};
    if (range.gte !== undefined) opts.gte = range.gte;
    if (range.lt !== undefined) opts.lt = range.lt;
    if (range.reverse) opts.reverse = true;
    if (range.limit !== undefined && range.limit >= 0 && Number.isFinite(range.limit)) opts.limit = range.limit;
    for await (const [k, v] of this.db.iterator(opts)) yield [plain(k), plain(v)];
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** Opens (creating if needed) the LevelDB database in `dir`. */
export async function openLevelKv(dir: string): Promise<KV> {
  const db: Db = new Level<Uint8Array, Uint8Array>(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  try {
    await mkdir(dir, { recursive: true });
    await db.open();
  } catch (e) {
    if (isLocked(e)) throw internal('DB_LOCKED', `database ${dir} is held by another process`);
    throw internal('DB_OPEN_FAILED', `cannot open database ${dir}: ${describe(e)}`);
  }
  return new LevelKv(db);
}
