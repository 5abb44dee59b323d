/**
 * The shape of one error-catalogue entry. Each family file (core.ts, tx.ts, ...) is an `as const`
 * table from code to CodeSpec; catalogue.ts merges them into ERROR_CODES, and the throw helpers of
 * ../errors.ts accept only a code whose entry has the helper's class.
 */

/**
 * - `invalid`:  the sender's fault (bad bytes, bad seal, bad signature): penalise the sender.
 * - `notYet`:   cannot be decided now (unknown parent or root block, future time): retry later.
 * - `internal`: our own failure: never penalise anyone.
 */
export type ErrorClass = 'invalid' | 'notYet' | 'internal';

export interface CodeSpec {
  /** The class every throw site of the code uses (but see alsoCls). */
  readonly cls: ErrorClass;
  /** A second class some throw sites use for the same code; rare, each one says why. */
  readonly alsoCls?: ErrorClass;
  /** A transaction failure meaning "not in this block" rather than "never": it stays in the pool. */
  readonly keepInPool?: true;
  /** The command line or its configuration file is wrong: the CLI exits with the usage code. */
  readonly usage?: true;
  /** The caller's parameters are malformed: JSON-RPC invalid params (−32602). */
  readonly rpcParam?: true;
  /** A transfer refusal an honest relaying peer meets too (a duplicate, a nonce used meanwhile, a full pool): not its fault. */
  readonly honestRelay?: true;
  /** One of the codes `decodeMessage` throws for a peer's frame (p2p/messages.ts). */
  readonly decode?: true;
  /**
   * What a person should do, for the command line's one-line error
   * (`shardminer: CODE: what happened; what to do`) when the message does not say it already.
   */
  readonly hint?: string;
}

/** A family table: code → spec. */
export type CodeFamily = { readonly [code: string]: CodeSpec };
