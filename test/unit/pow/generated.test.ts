import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

test('pow: src/pow/sha256/jsUnrolled.ts is what scripts/gen-sha256-js.mjs generates', async () => {
  const root = new URL('../../../../', import.meta.url);
  const gen = (await import(new URL('scripts/gen-sha256-js.mjs', root).href)) as { generate: () => string };
  assert.equal(readFileSync(new URL('src/pow/sha256/jsUnrolled.ts', root), 'utf8'), gen.generate());
});
