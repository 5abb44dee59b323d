/**
 * The shard API map (protocol.ts) drives the client, the in-thread twin and the worker's
 * exports: a misspelt method or a wrong argument type does not compile (the @ts-expect-error
 * lines fail the build if they ever do compile), and the method table forwards each call as
 * (name, arguments tuple).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ShardApi, ShardWorkerApi } from '../../../src/shard/protocol.js';
import { apiTable, SHARD_METHODS, type Call, type WorkerExports } from '../../../src/shard/shardApi.js';
import type { WorkerShard } from '../../../src/shard/workerShard.js';

test('shardApi: the method table sends (name, args tuple) through one call', async () => {
  const calls: [string, unknown[]][] = [];
  const call: Call<ShardApi> = async (name, args) => { calls.push([name, args]); return null as never; };
  const api = apiTable(call);
  await api.addBlock(Uint8Array.of(1));
  await api.events(5, 100);
  await api.account(Uint8Array.of(2), null);
  await api.load();
  assert.deepEqual(calls, [['addBlock', [Uint8Array.of(1)]], ['events', [5, 100]], ['account', [Uint8Array.of(2), null]], ['load', []]]);
  assert.deepEqual(Object.keys(api).sort(), [...SHARD_METHODS].sort());
});

test('shardApi: misspelt methods and wrong arguments are compile errors', () => {
  // Type-level checks only: the functions are declared, never run.
  const checks = (shard: WorkerShard): void => {
    // @ts-expect-error a misspelt method name
    void shard.call('addBlok', [new Uint8Array(1)]);
    // @ts-expect-error a wrong argument type (addBlock takes bytes)
    void shard.call('addBlock', ['not bytes']);
    // @ts-expect-error a missing argument (events takes after and waitMs)
    void shard.call('events', [1]);
    // @ts-expect-error a wrong positional argument type on the client interface
    void shard.events('0', 10);
    void shard.call('events', [1, 10]);
  };
  const exportsWithTypo = {
    // @ts-expect-error a worker export whose name is not an API method
    adBlock: async () => ({ ok: true as const, value: null }),
  } satisfies Partial<WorkerExports<ShardWorkerApi>>;
  assert.equal(typeof checks, 'function');
  assert.ok(exportsWithTypo);
});

test('shardApi: the worker module exports every method by name (Piscina looks tasks up among its named exports)', async () => {
  // Importing the entry in this thread starts a ShardHost on undefined workerData: it fails, and
  // only the calls would report that; the exports are what is checked here.
  const mod = (await import('../../../workers/shard.js')) as Record<string, unknown>;
  for (const name of [...SHARD_METHODS, 'close']) assert.equal(typeof mod[name], 'function', name);
});
