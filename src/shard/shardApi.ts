/**
 * What is derived from the shard API map (protocol.ts): the list of its methods, the shape of
 * a worker's exports, and a method table built from one generic `call`, so the Piscina client
 * and the in-thread twin are each one function, not one method per call.
 */
import type { Result, ShardApi, ShardWorkerApi } from './protocol.js';

export type ShardMethod = keyof ShardApi;
export type WorkerMethod = keyof ShardWorkerApi;
/** A method's positional arguments: what crosses to the worker as one array (Piscina passes one task argument). */
export type ArgsOf<A, K extends keyof A> = A[K] extends (...args: infer P) => Promise<unknown> ? P : never;
export type ReplyOf<A, K extends keyof A> = A[K] extends (...args: never[]) => Promise<infer R> ? R : never;

/** A worker module's exports for API `A`: each method takes its arguments tuple and returns a Result value, never a throw. */
export type WorkerExports<A> = { [K in keyof A]: (args: ArgsOf<A, K>) => Promise<Result<ReplyOf<A, K>>> };

/** A typed request: method name and its arguments tuple. */
export type Call<A> = <K extends keyof A>(name: K, args: ArgsOf<A, K>) => Promise<ReplyOf<A, K>>;

/** Every method of the API map, once (the compile-time check below keeps it complete). */
export const SHARD_METHODS = [
  'addBlock', 'addBlocksForSync', 'addRootBlock', 'addTx',
  'blocksByHash', 'account', 'minorBlock', 'lookupTx', 'shardStats', 'status', 'conservationPart', 'committedHeaders', 'chainWindow',
  'createBlockToMine', 'setMining', 'events', 'createTransactions',
  'checkNewBlock', 'shardHeaders', 'addTxs', 'setRelay', 'holdSealing',
  'stressPrepare', 'stressRun', 'stressInject', 'stressReport',
  'load',
] as const satisfies readonly ShardMethod[];

/** Compile-time: a method added to ShardApi but not to SHARD_METHODS fails here. */
type Missing = Exclude<ShardMethod, (typeof SHARD_METHODS)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;

/** The API as an object whose every method forwards to `call(name, args)`. */
export function apiTable(call: Call<ShardApi>): ShardApi {
  const table: Partial<Record<ShardMethod, (...args: never[]) => Promise<unknown>>> = {};
  for (const name of SHARD_METHODS) table[name] = (...args: never[]) => call(name, args as unknown as ArgsOf<ShardApi, typeof name>);
  return table as ShardApi;
}

/** A `Call` that invokes the method of the same name on `target` (the in-thread twin). */
export function callOn(target: ShardApi): Call<ShardApi> {
  return (name, args) => (target[name] as (...a: typeof args) => ReturnType<ShardApi[typeof name]>)(...args) as never;
}
