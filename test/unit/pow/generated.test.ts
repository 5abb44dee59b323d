import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('../../../../', import.meta.url);

test('pow: src/pow/sha256/jsUnrolled.ts is what scripts/gen-sha256-js.mjs generates', async () => {
  const gen = (await import(new URL('scripts/gen-sha256-js.mjs', root).href)) as { generate: () => string };
  assert.equal(readFileSync(new URL('src/pow/sha256/jsUnrolled.ts', root), 'utf8'), gen.generate());
});

/** V8 refuses to optimise functions with more bytecode than this (--max-optimized-bytecode-size). */
const V8_MAX_OPTIMIZED_BYTECODE = 60 * 1024;

test('pow: the unrolled JS kernel stays under V8\'s bytecode limit for optimisation', () => {
  const script = `import(${JSON.stringify(new URL('dist/src/pow/sha256/jsKernel.js', root).href)}).then((m) => {
    m.createJsSha256Kernel().search({ sealHash: new Uint8Array(32), target: -1n, startNonce: 0n, count: 2 });
  });`;
  const r = spawnSync(process.execPath, ['--print-bytecode', '--print-bytecode-filter=doubleSha', '--input-type=module', '-e', script], { encoding: 'utf8' });
  const m = /Bytecode length: (\d+)/.exec(r.stdout);
  assert.ok(m, `no bytecode listing for doubleSha: ${r.stderr.slice(0, 200)}`);
  assert.ok(Number(m[1]) < V8_MAX_OPTIMIZED_BYTECODE, `doubleSha has ${m[1]} bytes of bytecode`);
});
