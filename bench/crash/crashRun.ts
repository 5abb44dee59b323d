/**
 * Crash recovery as a harness (issues 3 and "hostile load" item 4): a child `mine --tx-rate …` on
 * disk is killed with SIGKILL at seeded random instants while cross-shard transfers flow, and
 * reopened on the same datadir after each kill: no reported height went backwards (root and every
 * shard) and the conservation equation is exact. Used by `bench/crash.ts` and by npm test (3 kills).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Coordinator } from '../../src/cluster/coordinator.js';
import { configFromFlags } from '../../src/cli/configFlags.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
/** Low difficulties (blocks as fast as whole-second timestamps allow), the JS kernel (no native build needed). */
const FLAGS = ['--root-difficulty', '2000', '--shard-difficulty', '2000', '--shards', '4', '--no-rpc', '--no-p2p', '--kernel', 'js'];
/** Signed dev transfers per second, half cross-shard: deposits are in flight at every kill. */
const TX_RATE = '40';
/** A kill comes this long after the first status line, plus up to KILL_SPREAD_MS more (seeded). */
const KILL_MIN_MS = 1500;
const KILL_SPREAD_MS = 3000;

interface Line { root: { height: number }; shards: { height: number }[] }

export interface CrashResult {
  readonly ok: boolean;
  readonly line: string;
  /** What broke, when something did. */
  readonly failure: string | null;
}

/** Runs `mine` until `killAfterMs` after its first status line, then SIGKILLs it; the last line seen. */
function runAndKill(dir: string, killAfterMs: number): Promise<Line> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MAIN, 'mine', '--datadir', dir, '--tx-rate', TX_RATE, '--json', '--interval', '0.5', ...FLAGS], { stdio: ['ignore', 'pipe', 'ignore'] });
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

export async function runCrash(kills: number, seed: number): Promise<CrashResult> {
  const dir = mkdtempSync(join(tmpdir(), 'shardminer-crash-'));
  const cfg = configFromFlags({ datadir: dir, rootDifficulty: '2000', shardDifficulty: '2000', shards: '4' });
  let s = seed >>> 0;
  const rand = (): number => { s = (Math.imul(s, 1103515245) + 12345) >>> 0; return s / 2 ** 32; };
  let prev: Line | null = null;
  let failure: string | null = null;
  let done = 0;
  try {
    for (let round = 0; round < kills && !failure; round++) {
      const seen = await runAndKill(dir, KILL_MIN_MS + Math.floor(rand() * KILL_SPREAD_MS));
      const node = await Coordinator.start({ config: cfg, datadir: dir, log: () => undefined });
      try {
        const st = await node.status();
        const now: Line = { root: { height: st.root.height }, shards: st.shards.map((x) => ({ height: x.tip.height })) };
        const back = [seen, prev].flatMap((ref) => (ref ? [ref] : [])).find((ref) =>
          now.root.height < ref.root.height || now.shards.some((x, i) => x.height < ref.shards[i]!.height));
        const c = await node.conservation();
        if (back) failure = `kill ${round + 1}: heights went back: root ${now.root.height} vs ${back.root.height}, shards ${now.shards.map((x) => x.height)} vs ${back.shards.map((x) => x.height)}`;
        else if (!c.ok) failure = `kill ${round + 1}: conservation ${c.balances} + ${c.inFlight} ≠ ${c.expected}`;
        prev = now;
        done++;
      } finally {
        await node.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const heights = prev ? `root ${prev.root.height} shards ${prev.shards.map((x) => x.height).join('/')}` : 'none';
  const line = `crash kills=${done}/${kills} seed=${seed} final=${heights} heightsBack=${failure?.includes('went back') ? 'yes' : 'no'} conservation=${failure?.includes('conservation') ? 'broken' : 'exact'} ok=${failure ? 'no' : 'yes'}`;
  return { ok: failure === null, line, failure };
}
