/**
 * Long jobs tell the user how long they take and keep what they measured (issue 15 item 7):
 * `bench` prints its expected wall time and the time left as it goes, and Ctrl-C in the middle
 * of a combination prints the trials that finished (exit 130); `stress` off a TTY prints its
 * expected time, a progress line with the time left every few seconds, and on Ctrl-C a report of
 * what it measured so far.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, stderrLineAfter } from '../utils/cliProcess.js';

const WAIT_MS = 60_000;

test('bench: expected time, time left, and Ctrl-C keeps the finished trials', { timeout: 90_000 }, async () => {
  const p = runCli(['bench', '--algo', 'doublesha256', '--threads', '1', '--warmup', '0.5', '--duration', '1', '--trials', '20', '--kernel', 'js']);
  const plan = await stderrLineAfter(p, 'bench: 1 algorithm(s)', WAIT_MS);
  assert.match(plan, /about 22 s$/, 'a 1 s reference, a 0.5 s warm-up and 20 trials of 1 s');
  await stderrLineAfter(p, 'bench: doublesha256 threads=1: trial 2/20', WAIT_MS);
  assert.ok(p.err.some((l) => /trial 1\/20 \d+ H\/s \(about \d+ s left\)/.test(l)), p.err.join('\n'));
  p.child.kill('SIGINT');
  assert.equal(await p.exit, 130);
  assert.ok(p.err.some((l) => /^bench: interrupted: doublesha256 threads=1 finished [2-9]\/20 trials: median \d+ H\/s/.test(l)), p.err.join('\n'));
});

test('stress: expected time and progress lines off a TTY; Ctrl-C reports what was measured', { timeout: 120_000 }, async () => {
  const p = runCli(['stress', '--shards', '2', '--accounts', '64', '--rate', '200', '--duration', '60', '--warmup', '1', '--drain-timeout', '10']);
  const expected = await stderrLineAfter(p, 'stress: expected ', WAIT_MS);
  assert.match(expected, /about \d+ s/);
  await stderrLineAfter(p, 'stress measure', WAIT_MS);
  const progress = p.err.find((l) => l.startsWith('stress measure'))!;
  assert.match(progress, /\d+ s left/);
  p.child.kill('SIGINT');
  const code = await p.exit;
  assert.ok(code === 0 || code === 3, `exit ${code}: ${p.err.slice(-3).join(' | ')}`);
  const report = p.out.join('\n');
  assert.match(report, /measured window\s+\d+ s \(stopped early by Ctrl-C/, report);
  assert.match(report, /conservation\s+ok/);
});
