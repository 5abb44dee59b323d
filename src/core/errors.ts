/**
 * Coded errors. Every rejection carries a stable string code and one of three classes:
 * - `invalid`:  the sender's fault (bad bytes, bad seal, bad signature): penalise the sender.
 * - `notYet`:   cannot be decided now (unknown parent or root block, future time): retry later.
 * - `internal`: our own failure: never penalise anyone.
 * Errors cross thread boundaries as plain objects (`toObject` / `fromObject`), because
 * structured clone drops Error subclasses.
 */
export type ErrorClass = 'invalid' | 'notYet' | 'internal';

export interface ErrorObject {
  readonly code: string;
  readonly cls: ErrorClass;
  readonly message: string;
}

export class ChainError extends Error {
  readonly code: string;
  readonly cls: ErrorClass;

  constructor(code: string, cls: ErrorClass, message: string) {
    super(`${code}: ${message}`);
    this.name = 'ChainError';
    this.code = code;
    this.cls = cls;
  }

  toObject(): ErrorObject {
    return { code: this.code, cls: this.cls, message: this.message };
  }

  static fromObject(o: ErrorObject): ChainError {
    const prefix = `${o.code}: `;
    const msg = o.message.startsWith(prefix) ? o.message.slice(prefix.length) : o.message;
    return new ChainError(o.code, o.cls, msg);
  }

  /** Any thrown value as a ChainError; unknown failures are `internal`. */
  static from(e: unknown): ChainError {
    if (e instanceof ChainError) return e;
    if (isErrorObject(e)) return ChainError.fromObject(e);
    const message = e instanceof Error ? e.message : String(e);
    return new ChainError('INTERNAL', 'internal', message);
  }
}

export function isErrorObject(e: unknown): e is ErrorObject {
  if (typeof e !== 'object' || e === null) return false;
  const o = e as Record<string, unknown>;
  return typeof o.code === 'string' && typeof o.message === 'string' &&
    (o.cls === 'invalid' || o.cls === 'notYet' || o.cls === 'internal');
}

export const invalid = (code: string, message: string): ChainError => new ChainError(code, 'invalid', message);
export const notYet = (code: string, message: string): ChainError => new ChainError(code, 'notYet', message);
export const internal = (code: string, message: string): ChainError => new ChainError(code, 'internal', message);

/** Throws an `invalid` error with `code` unless `cond` holds. */
export function check(cond: boolean, code: string, message: string): asserts cond {
  if (!cond) throw invalid(code, message);
}
