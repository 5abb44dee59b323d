import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KV, KvRange } from '../../../src/store/kv.js';
import { memKv } from '../../../src/store/memKv.js';
import { openLevelKv } from '../../../src/store/levelKv.js';

const b = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
const hex = (x: Uint8Array | undefined): string | undefined => (x === undefined ? undefined : Buffer.from(x).toString('hex'));

async function collect(kv: KV, range: KvRange): Promise<string[]> {
  const out: string[] = [];
  for await (const [k, v] of kv.iterate(range)) out.push(`${hex(k)}=${hex(v)}`);
  return out;
}

const tmpDirs: string[] = [];
function freshDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'shardminer-kv-'));
  tmpDirs.push(d);
  return d;
}
after(() => { for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true }); });

/** The same behaviour suite runs against LevelDB and the in-memory twin. */
function suite(name: string, open: () => Promise<KV>): void {
  describe(`kv (${name})`, () => {
    test('get, put and delete', async () => {
      const kv = await open();
      assert.equal(await kv.get(b(1)), undefined);
      await kv.batch([{ type: 'put', key: b(1), value: b(10, 11) }]);
      const got = await kv.get(b(1));
      assert.equal(hex(got), '0a0b');
      assert.equal(Object.getPrototypeOf(got), Uint8Array.prototype);
      assert.deepEqual((await kv.getMany([b(1), b(2)])).map(hex), ['0a0b', undefined]);
      await kv.batch([{ type: 'put', key: b(1), value: b(12) }]);
      assert.equal(hex(await kv.get(b(1))), '0c');
      await kv.batch([{ type: 'del', key: b(1) }, { type: 'del', key: b(99) }]);
      assert.equal(await kv.get(b(1)), undefined);
      await kv.close();
    });

    test('batch is atomic and later ops win', async () => {
      const kv = await open();
      await kv.batch([{ type: 'put', key: b(5), value: b(5) }]);
      await kv.batch([
        { type: 'put', key: b(1), value: b(1) },
        { type: 'put', key: b(2), value: b(2) },
        { type: 'del', key: b(5) },
        { type: 'put', key: b(2), value: b(22) },
      ]);
      assert.deepEqual((await kv.getMany([b(1), b(2), b(5)])).map(hex), ['01', '16', undefined]);
      // A malformed op rejects the whole batch, leaving earlier ops unapplied.
      const bad = [{ type: 'put', key: b(7), value: b(7) }, { type: 'put', key: b(8) }] as unknown as Parameters<KV['batch']>[0];
      await assert.rejects(kv.batch(bad));
      assert.equal(await kv.get(b(7)), undefined);
      await kv.close();
    });

    test('iterates in byte order with gte, lt, reverse and limit', async () => {
      const kv = await open();
      const keys = [b(2), b(1, 0), b(1), b(0xff), b(1, 0xff, 3), b(0x10)];
      await kv.batch(keys.map((k, i) => ({ type: 'put' as const, key: k, value: b(i) })));
      assert.deepEqual(await collect(kv, {}), ['01=02', '0100=01', '01ff03=04', '02=00', '10=05', 'ff=03']);
      assert.deepEqual(await collect(kv, { gte: b(1), lt: b(2) }), ['01=02', '0100=01', '01ff03=04']);
      assert.deepEqual(await collect(kv, { gte: b(1, 1), lt: b(0x10) }), ['01ff03=04', '02=00']);
      assert.deepEqual(await collect(kv, { gte: b(1), lt: b(2), reverse: true }), ['01ff03=04', '0100=01', '01=02']);
      assert.deepEqual(await collect(kv, { reverse: true, limit: 2 }), ['ff=03', '10=05']);
      assert.deepEqual(await collect(kv, { gte: b(2), limit: 1 }), ['02=00']);
      assert.deepEqual(await collect(kv, { limit: 0 }), []);
      assert.deepEqual(await collect(kv, { gte: b(3), lt: b(4) }), []);
      await kv.batch([{ type: 'del', key: b(1, 0) }, { type: 'put', key: b(0), value: b(9) }]);
      assert.deepEqual(await collect(kv, { lt: b(2) }), ['00=09', '01=02', '01ff03=04']);
      await kv.close();
    });

    test('an iteration sees a snapshot and may stop early', async () => {
      const kv = await open();
      await kv.batch([1, 2, 3].map((i) => ({ type: 'put' as const, key: b(i), value: b(i) })));
      const seen: string[] = [];
      for await (const [k] of kv.iterate({})) {
        seen.push(hex(k)!);
        if (seen.length === 1) await kv.batch([{ type: 'del', key: b(2) }, { type: 'put', key: b(4), value: b(4) }]);
      }
      assert.deepEqual(seen, ['01', '02', '03']);
      for await (const [k] of kv.iterate({})) { assert.equal(hex(k), '01'); break; }
      assert.deepEqual(await collect(kv, {}), ['01=01', '03=03', '04=04']);
      await kv.close();
    });

    test('returned and stored buffers are copies', async () => {
      const kv = await open();
      const key = b(1, 2);
      const value = b(3, 4);
      await kv.batch([{ type: 'put', key, value }]);
      key[0] = 9;
      value[0] = 9;
      const got = (await kv.get(b(1, 2)))!;
      assert.equal(hex(got), '0304');
      got[1] = 9;
      assert.equal(hex(await kv.get(b(1, 2))), '0304');
      for await (const [k, v] of kv.iterate({})) { k[0] = 7; v[0] = 7; }
      assert.deepEqual(await collect(kv, {}), ['0102=0304']);
      await kv.close();
    });
  });
}

suite('memKv', async () => memKv());
suite('level', async () => openLevelKv(path.join(freshDir(), 'db')));

test('kv (level): data survives close and reopen', async () => {
  const dir = path.join(freshDir(), 'nested', 'db');
  const kv = await openLevelKv(dir);
  await kv.batch([{ type: 'put', key: b(1), value: b(1, 1) }, { type: 'put', key: b(2), value: b(2, 2) }]);
  await kv.close();
  const again = await openLevelKv(dir);
  assert.deepEqual(await collect(again, {}), ['01=0101', '02=0202']);
  await again.close();
});

test('kv (level): a second open of the same directory fails with DB_LOCKED', async () => {
  const dir = freshDir();
  const kv = await openLevelKv(dir);
  await assert.rejects(openLevelKv(dir), (e: unknown) => {
    const err = e as { code?: string; cls?: string; message?: string };
    assert.equal(err.code, 'DB_LOCKED');
    assert.equal(err.cls, 'internal');
    assert.match(err.message ?? '', /held by another process/);
    return true;
  });
  await kv.close();
});

test('kv (level): a path that cannot be a directory fails with DB_OPEN_FAILED', async () => {
  const file = path.join(freshDir(), 'a-file');
  fs.writeFileSync(file, 'x');
  await assert.rejects(openLevelKv(file), { code: 'DB_OPEN_FAILED' });
});

test('kv (memKv): operations after close fail with DB_CLOSED', async () => {
  const kv = memKv();
  await kv.close();
  await assert.rejects(kv.get(b(1)), { code: 'DB_CLOSED' });
});
