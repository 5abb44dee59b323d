/**
 * The command line's one error format (DESIGN §12, issue 15):
 *
 *     shardminer: CODE: what happened; what to do
 *
 * on one line of stderr, with the exit code of its kind: 2 for a usage error (the catalogue's
 * `usage` codes, and commander's own parse errors), 1 for anything else. A JSON-RPC error that
 * carries a chain code (`error.data.code`, e.g. a refused transfer) is shown under that code and
 * class, not as our failure. "What to do" is the message's own advice when it has one (after
 * "; "), else the code's catalogue `hint`, else a line by class.
 */
import { ChainError, codeInfo, isUsageError, type ErrorClass, type ErrorCode } from '../core/errors.js';
import { RpcError } from '../rpc/errors.js';
import { isPlainObject } from '../rpc/json.js';
import { EXIT_FAILURE, EXIT_USAGE } from './exitCodes.js';

/** Advice by class when neither the message nor the catalogue has any. */
const CLASS_HINT: Readonly<Record<ErrorClass, string>> = {
  invalid: 'the request was refused as it is: change it and retry',
  notYet: 'retry in a moment',
  internal: 'this is a shardminer failure: please report it with the command line that caused it',
};

export interface FormattedError {
  readonly line: string;
  readonly exitCode: number;
}

/** A JSON-RPC error as the chain error it carries (its code and class), or RPC_ERROR. */
function fromRpc(e: RpcError): ChainError {
  const data = isPlainObject(e.data) ? e.data : undefined;
  const code = typeof data?.code === 'string' ? data.code : undefined;
  const spec = code === undefined ? undefined : codeInfo(code);
  const prefix = `${code}: `;
  const msg = code !== undefined && e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message;
  // A catalogued code from the node: shown under it (a chain refusal is `invalid`, never INTERNAL).
  if (code !== undefined && spec) return new ChainError(code as ErrorCode, spec.cls, msg);
  return new ChainError('RPC_ERROR', 'invalid', `the node answered JSON-RPC error ${e.code}: ${msg}`);
}

/** One line (no control characters), `shardminer: CODE: what; what to do`. */
export function formatError(e: unknown, command?: string): FormattedError {
  const err = e instanceof RpcError ? fromRpc(e) : ChainError.from(e);
  const prefix = `${err.code}: `;
  let what = (err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message).replace(/[\u0000-\u001f]+/g, ' ').trim();
  if (!what.includes('; ')) what = `${what}; ${codeInfo(err.code)?.hint ?? CLASS_HINT[err.cls]}`;
  what = what.replace('shardminer <command>', command ? `shardminer ${command}` : 'shardminer');
  return { line: `shardminer: ${err.code}: ${what}`, exitCode: isUsageError(err.code) ? EXIT_USAGE : EXIT_FAILURE };
}

/** A commander parse error (`error: unknown option '--x'`) as a one-line usage error pointing to --help. */
export function formatUsage(message: string, command: string | undefined): FormattedError {
  const what = message.replace(/^error: /, '').split('\n')[0]!.trim();
  const help = command ? `shardminer ${command} --help` : 'shardminer --help';
  return { line: `shardminer: BAD_FLAG: ${what}; see '${help}'`, exitCode: EXIT_USAGE };
}
