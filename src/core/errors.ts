/**
 * Coded errors. Every rejection carries a stable string code and one of three classes:
 * - `invalid`:  the sender's fault (bad bytes, bad seal, bad signature): penalise the sender.
 * - `notYet`:   cannot be decided now (unknown parent or root block, future time): retry later.
 * - `internal`: our own failure: never penalise anyone.
 * The codes and their classes are catalogued in ./errors/ (catalogue.ts); the helpers below accept
 * only a code whose entry has their class, so a misspelt code or a wrong class does not compile.
 * Errors cross thread boundaries as plain objects (`toObject` / `fromObject`), because
 * structured clone drops Error subclasses.
 */
import type { CodeOf, ErrorClass, ErrorCode, InvalidCode } from './errors/catalogue.js';

export type { CodeOf, ErrorClass, ErrorCode, InvalidCode } from './errors/catalogue.js';
export { codeInfo, codesWhere, isDecodeError, isKeepInPool, isRpcParamError, isUsageError } from './errors/catalogue.js';

export interface ErrorObject {
  readonly code: string;
  readonly cls: ErrorClass;
  readonly message: string;
}

export class ChainError extends Error {
  readonly code: ErrorCode;
  readonly cls: ErrorClass;

  /** Prefer the helpers (invalid, notYet, internal, check): they check the class against the catalogue. */
  constructor(code: ErrorCode, cls: ErrorClass, message: string) {
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
    // Trusted: made by toObject in another thread of this program, from a catalogued code.
    return new ChainError(o.code as ErrorCode, o.cls, msg);
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

export const invalid = (code: CodeOf<'invalid'>, message: string): ChainError => new ChainError(code, 'invalid', message);
export const notYet = (code: CodeOf<'notYet'>, message: string): ChainError => new ChainError(code, 'notYet', message);
export const internal = (code: CodeOf<'internal'>, message: string): ChainError => new ChainError(code, 'internal', message);

/** Throws an `invalid` error with `code` unless `cond` holds. */
export function check(cond: boolean, code: CodeOf<'invalid'>, message: string): asserts cond {
  if (!cond) throw invalid(code, message);
}

/** The code of `e` when it is an `invalid` error (the helpers only make those from invalid codes), else undefined. */
export function invalidCode(e: ChainError): InvalidCode | undefined {
  return e.cls === 'invalid' ? (e.code as InvalidCode) : undefined;
}
