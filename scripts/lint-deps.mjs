// `npm run lint:deps`: the layer rules of .dependency-cruiser.cjs over src/ and workers/
// (docs/architecture.md). Fails on any violation, and also when dependency-cruiser read fewer
// modules than the project has: a run that parses nothing (a broken parser, a wrong glob) must not pass.
import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { cruise } from 'dependency-cruiser';

const ROOTS = ['src', 'workers'];
const root = new URL('..', import.meta.url).pathname;
process.chdir(root);

function tsFiles(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) tsFiles(p, out);
    else if (p.endsWith('.ts')) out.push(relative(root, p));
  }
  return out;
}

const config = createRequire(import.meta.url)('../.dependency-cruiser.cjs');
const { output } = await cruise(ROOTS, { ...config.options, ruleSet: { forbidden: config.forbidden }, validate: true });
const read = new Set(output.modules.map((m) => m.source));
const expected = ROOTS.flatMap((d) => tsFiles(join(root, d)));
const missing = expected.filter((f) => !read.has(f));
const { violations } = output.summary;
for (const v of violations) {
  const path = v.cycle ? [v.from, ...v.cycle.map((c) => c.name ?? c)].join(' → ') : `${v.from} → ${v.to}`;
  process.stderr.write(`  ${v.rule.name}: ${path}\n`);
}
if (missing.length) {
  process.stderr.write(`lint:deps: dependency-cruiser read ${expected.length - missing.length} of ${expected.length} modules; not read: ${missing.slice(0, 10).join(', ')}\n`);
}
if (violations.length || missing.length) process.exit(1);
process.stdout.write(`lint:deps: ${expected.length} modules, ${output.summary.totalDependenciesCruised} imports, ${config.forbidden.length} rules: no violations\n`);
