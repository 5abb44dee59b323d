/** `shardminer` child processes for end-to-end tests: spawn with captured lines, wait for a line on stderr. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { until } from '../integration/rpcHarness.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));

export interface Proc { child: ChildProcess; out: string[]; err: string[]; exit: Promise<number | null> }

/** Runs `shardminer ...args`, collecting stdout and stderr line by line. */
export function runCli(args: string[]): Proc {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (l) => out.push(l));
  createInterface({ input: child.stderr! }).on('line', (l) => err.push(l));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, out, err, exit };
}

/** What follows `prefix` on the first stderr line that starts with it; fails if the process exits first. */
export function stderrLineAfter(p: Proc, prefix: string, timeoutMs: number): Promise<string> {
  return until(async () => {
    if (p.child.exitCode !== null) throw new Error(`exited: ${p.err.slice(-3).join(' | ')}`);
    const l = p.err.find((x) => x.startsWith(prefix));
    return l ? l.slice(prefix.length).trim() : null;
  }, prefix, timeoutMs);
}
