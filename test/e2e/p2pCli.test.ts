/**
 * The P2P command line end to end: `mine --p2p-port 0` prints its P2P address, `node --peer`
 * (another process) syncs its root chain and reports the same tip hash, a second node on the
 * miner's port fails with a one-line PORT_IN_USE (exit 1), a bad --peer is a usage error
 * (exit 2), and both processes stop with exit code 0 on SIGINT.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, stderrLineAfter, type Proc } from '../utils/cliProcess.js';
import { until } from '../integration/rpcHarness.js';

/** Low genesis difficulties: blocks come as fast as whole-second timestamps allow. */
const CHAIN_FLAGS = ['--mem', '--root-difficulty', '2000', '--shard-difficulty', '2000', '--shards', '2'];
/** Root height the follower must reach. */
const HEIGHT = 3;
const WAIT_MS = 60_000;

const run = runCli;
const lineFrom = (p: Proc, prefix: string): Promise<string> => stderrLineAfter(p, prefix, WAIT_MS);

/** The last `node:` progress line's root height and tip hash prefix. */
function progress(p: Proc): { height: number; hash: string; peers: number } | null {
  const lines = p.err.filter((l) => l.startsWith('node: root height '));
  const m = /^node: root height (\d+) \((0x[0-9a-f]+)…\), peers (\d+)/.exec(lines[lines.length - 1] ?? '');
  return m ? { height: Number(m[1]), hash: m[2]!, peers: Number(m[3]) } : null;
}

test('e2e: `node --peer` syncs from `mine` over P2P; port in use and bad --peer fail with their exit codes', { timeout: 120_000 }, async () => {
  const miner = run(['mine', ...CHAIN_FLAGS, '--no-rpc', '--p2p-port', '0', '--interval', '0.5', '--json', '--kernel', 'js']);
  const procs: Proc[] = [miner];
  try {
    const url = await lineFrom(miner, 'p2p: listening on ');
    assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+$/);
    const follower = run(['node', ...CHAIN_FLAGS, '--p2p-port', '0', '--interval', '0.3', '--peer', url]);
    procs.push(follower);
    await until(async () => (progress(follower)?.height ?? 0) >= HEIGHT, `the node at root height ${HEIGHT}`, WAIT_MS);
    assert.equal(progress(follower)!.peers, 1);
    // The miner's JSON status lines carry its root tip hash: the node's tip must be one of them.
    const minerTips = (): Set<string> => new Set(miner.out.map((l) => (JSON.parse(l) as { root: { hash: string } }).root.hash.slice(0, 10)));
    await until(async () => {
      const p = progress(follower);
      return p !== null && p.height >= HEIGHT && minerTips().has(p.hash);
    }, 'the node to report a root tip the miner had', WAIT_MS);

    const port = url.slice(url.lastIndexOf(':') + 1);
    const clash = run(['node', ...CHAIN_FLAGS, '--p2p-port', port]);
    assert.equal(await clash.exit, 1, 'a port in use is a runtime failure');
    const errors = clash.err.filter((l) => l.startsWith('shardminer: '));
    assert.equal(errors.length, 1, clash.err.join('\n'));
    assert.match(errors[0]!, new RegExp(`PORT_IN_USE: p2p: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use`));

    const usage = run(['node', ...CHAIN_FLAGS, '--peer', 'http://127.0.0.1:1']);
    assert.equal(await usage.exit, 2, 'a bad --peer is a usage error');

    follower.child.kill('SIGINT');
    assert.equal(await follower.exit, 0, 'the node exits 0 on SIGINT');
    miner.child.kill('SIGINT');
    assert.equal(await miner.exit, 0, 'the miner exits 0 on SIGINT');
  } finally {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
});
