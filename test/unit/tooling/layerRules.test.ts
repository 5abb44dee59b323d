/**
 * The layer rules of .dependency-cruiser.cjs bite: on a scratch tree laid out like src/, a core
 * file importing cli/, a consensus file reading node:fs, a file cycle and a workers/ import from
 * src/ are each reported under their rule (`npm run lint:deps` runs the same rules on the real tree).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cruise, type IForbiddenRuleType, type ICruiseOptions } from 'dependency-cruiser';

const require = createRequire(import.meta.url);
/** From dist/test/unit/tooling back to the repository root. */
const config = require('../../../../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[]; options: ICruiseOptions };

const FILES: Record<string, string> = {
  'src/core/a.ts': "import { b } from '../cli/b.js';\nexport const a = b;\n",
  'src/cli/b.ts': 'export const b = 1;\n',
  'src/consensus/c.ts': "import { readFileSync } from 'node:fs';\nexport const c = readFileSync;\n",
  'src/shard/d.ts': "import { e } from './e.js';\nexport const d = (): number => e();\n",
  'src/shard/e.ts': "import { d } from './d.js';\nexport const e = (): number => (d ? 1 : 0);\n",
  'src/store/f.ts': "import { w } from '../../workers/w.js';\nexport const f = w;\n",
  'workers/w.ts': 'export const w = 2;\n',
};

test('layer rules: a core → cli import, I/O in consensus, a file cycle and src → workers are violations', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'layers-'));
  const cwd = process.cwd();
  try {
    for (const [path, text] of Object.entries(FILES)) {
      await mkdir(join(dir, path, '..'), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    process.chdir(dir);
    const { output } = await cruise(['src', 'workers'], { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true });
    assert.ok(typeof output !== 'string');
    const found = new Set(output.summary.violations.map((v) => `${v.rule.name} ${v.from}`));
    for (const want of ['layer-core src/core/a.ts', 'pure-no-io src/consensus/c.ts', 'no-circular src/shard/d.ts', 'src-not-to-workers src/store/f.ts']) {
      assert.ok(found.has(want), `${want} not reported; got ${[...found].join(', ')}`);
    }
  } finally {
    process.chdir(cwd);
    await rm(dir, { recursive: true, force: true });
  }
});
