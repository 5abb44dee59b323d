/**
 * The error catalogue: every code of every family, its class and metadata. Throw helpers
 * (../errors.ts) are typed by it, and code that decides by code reads its metadata here.
 */
import { CHANNEL_CODES, XSHARD_CODES } from './channel.js';
import { BLOCK_CODES } from './block.js';
import { CLI_CODES } from './cli.js';
import { CORE_CODES } from './core.js';
import { NODE_CODES } from './node.js';
import { P2P_CODES } from './p2p.js';
import { POW_CODES } from './pow.js';
import { ROOT_CODES } from './root.js';
import { RPC_CODES } from './rpc.js';
import type { CodeFamily, CodeSpec, ErrorClass } from './spec.js';
import { STORE_CODES } from './store.js';
import { TX_CODES } from './tx.js';

export type { CodeFamily, CodeSpec, ErrorClass } from './spec.js';

/** Each family by name (the catalogue test checks that no code is in two). */
export const ERROR_FAMILIES = {
  core: CORE_CODES, tx: TX_CODES, block: BLOCK_CODES, root: ROOT_CODES, channel: CHANNEL_CODES, xshard: XSHARD_CODES,
  store: STORE_CODES, pow: POW_CODES, node: NODE_CODES, p2p: P2P_CODES, rpc: RPC_CODES, cli: CLI_CODES,
} as const satisfies Readonly<Record<string, CodeFamily>>;

export const ERROR_CODES = {
  ...CORE_CODES, ...TX_CODES, ...BLOCK_CODES, ...ROOT_CODES, ...CHANNEL_CODES, ...XSHARD_CODES,
  ...STORE_CODES, ...POW_CODES, ...NODE_CODES, ...P2P_CODES, ...RPC_CODES, ...CLI_CODES,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The codes a throw site may raise with class `C` (its `cls` or its `alsoCls`). */
export type CodeOf<C extends ErrorClass> = {
  [K in ErrorCode]: (typeof ERROR_CODES)[K] extends { readonly cls: C } | { readonly alsoCls: C } ? K : never;
}[ErrorCode];

export type InvalidCode = CodeOf<'invalid'>;

const TABLE: Readonly<Record<string, CodeSpec>> = ERROR_CODES;

/** The entry of `code`; undefined for a string that is no code (e.g. a malformed error from another thread). */
export function codeInfo(code: string): CodeSpec | undefined {
  return Object.hasOwn(TABLE, code) ? TABLE[code] : undefined;
}

/** Every code whose entry satisfies `pred`, in catalogue order. */
export function codesWhere(pred: (spec: CodeSpec) => boolean): ErrorCode[] {
  return (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => pred(ERROR_CODES[c]));
}

/** A transaction that failed with `code` stays in the pool: it may fit a later block. */
export const isKeepInPool = (code: ErrorCode): boolean => codeInfo(code)?.keepInPool === true;
/** `code` means the command line or its configuration file is wrong. */
export const isUsageError = (code: ErrorCode): boolean => codeInfo(code)?.usage === true;
/** `code` means the JSON-RPC caller's parameters are malformed. */
export const isRpcParamError = (code: ErrorCode): boolean => codeInfo(code)?.rpcParam === true;
/** `code` is one `decodeMessage` throws for a peer's frame. */
export const isDecodeError = (code: ErrorCode): boolean => codeInfo(code)?.decode === true;
