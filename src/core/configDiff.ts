/**
 * Which fields of two configurations differ, by path (`root.algo`, `chains[0].shardSize`), for the
 * one-line error of a datadir opened with another configuration (DESIGN §9).
 */
import { configToJson, type Config } from './config.js';

/** Leaves of a JSON value by path, in document order. */
function leaves(v: unknown, path: string, out: Map<string, string>): void {
  if (Array.isArray(v)) {
    if (v.length === 0) out.set(path, '[]');
    v.forEach((x, i) => leaves(x, `${path}[${i}]`, out));
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) leaves(x, path ? `${path}.${k}` : k, out);
  } else {
    out.set(path, typeof v === 'string' && /^\d+n$/.test(v) ? v.slice(0, -1) : String(v));
  }
}

export interface FieldDiff {
  readonly path: string;
  /** The value in the first configuration, 'absent' when it has no such field. */
  readonly was: string;
  readonly now: string;
}

/** The fields whose value differs between `was` (stored, as configToJson wrote it) and `now`. */
export function configDiff(was: string, now: Config): FieldDiff[] {
  const a = new Map<string, string>();
  const b = new Map<string, string>();
  try {
    leaves(JSON.parse(was), '', a);
  } catch {
    return [{ path: '(whole configuration)', was: 'unreadable', now: 'current' }];
  }
  leaves(JSON.parse(configToJson(now)), '', b);
  const out: FieldDiff[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(path) ?? 'absent';
    const y = b.get(path) ?? 'absent';
    if (x !== y) out.push({ path, was: x, now: y });
  }
  return out;
}

/** Shown in full up to this many fields; the rest are counted. */
const SHOWN = 3;

/** `what` created with another configuration: which fields, and what to do. */
export function configMismatchMessage(what: string, stored: string, now: Config): string {
  const d = configDiff(stored, now);
  const shown = d.slice(0, SHOWN).map((f) => `${f.path} was ${f.was}, now ${f.now}`).join(', ');
  const more = d.length > SHOWN ? ` and ${d.length - SHOWN} more` : '';
  return `${what} was created with another configuration (${shown}${more}); ` +
    'start with the flags it was created with, or use --mem, or another --datadir';
}
