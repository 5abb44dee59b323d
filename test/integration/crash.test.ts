/**
 * Crash recovery (issue 3): a child `mine --tx-rate …` is killed with SIGKILL at random instants
 * while cross-shard transfers flow; after each restart no stored block is missing (no height
 * goes backwards) and conservation holds exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Coordinator } from '../../src/cluster/coordinator.js';
import { configFromFlags } from '../../src/cli/configFlags.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const FLAGS = ['--root-difficulty', '2000', '--shard-difficulty', '2000', '--shards', '4', '--no-rpc', '--no-p2p'];

interface Line { root: { height: number }; shards: { height: number }[] }

/** Runs `mine` until `killAfterMs` after its first status line, then SIGKILLs it; returns the last line seen. */
function runAndKill(dir: string, killAfterMs: number): Promise<Line> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'mine', '--datadir', dir, '--tx-rate', '40', '--json', '--interval', '0.5', '--kernel', 'js', ...FLAGS], { stdio: ['ignore', 'pipe', 'ignore'] });
    let last: Line | null = null;
    let timer: NodeJS.Timeout | null = null;
    createInterface({ input: child.stdout }).on('line', (l) => {
      last = JSON.parse(l) as Line;
      timer ??= setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('exit', (_code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL' || !last) reject(new Error(`mine exited unexpectedly (signal ${signal})`));
      else resolve(last);
    });
  });
}

test('crash: SIGKILL at random instants loses no stored block and keeps conservation', { timeout: 180_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shardminer-crash-'));
  const cfg = configFromFlags({ datadir: dir, rootDifficulty: '2000', shardDifficulty: '2000', shards: '4' });
  let seed = 12345;
  const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
  try {
    let prev: Line | null = null;
    for (let round = 0; round < 3; round++) {
      const seen = await runAndKill(dir, 1500 + Math.floor(rand() * 3000));
      const node = await Coordinator.start({ config: cfg, datadir: dir, log: () => undefined });
      try {
        const s = await node.status();
        assert.ok(s.root.height >= seen.root.height, `round ${round}: root height ${s.root.height} < reported ${seen.root.height}`);
        s.shards.forEach((sh, i) => assert.ok(sh.tip.height >= seen.shards[i]!.height, `round ${round}: shard ${i} height ${sh.tip.height} < reported ${seen.shards[i]!.height}`));
        const c = await node.conservation();
        assert.ok(c.ok, `round ${round}: ${c.balances} + ${c.inFlight} ≠ ${c.expected}`);
        if (prev) assert.ok(s.root.height >= prev.root.height);
        prev = { root: { height: s.root.height }, shards: s.shards.map((x) => ({ height: x.tip.height })) };
      } finally {
        await node.stop();
      }
    }
    assert.ok(prev!.root.height >= 2, 'the chain advanced across the crashes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
