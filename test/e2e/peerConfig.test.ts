/**
 * A peer with another configuration is refused at the handshake on both sides, each naming the
 * first consensus field that differs (DESIGN §10): a `node` without `--algo simulate` against a
 * `simulate` miner, which before shared a genesis and ended in a bad-seal ban.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, stderrLineAfter, type Proc } from '../utils/cliProcess.js';

const WAIT_MS = 60_000;

test('e2e: a node with another configuration is refused at HELLO, both sides naming root.algo', { timeout: 120_000 }, async () => {
  const procs: Proc[] = [];
  try {
    const miner = runCli(['mine', '--mem', '--algo', 'simulate', '--shards', '2', '--no-rpc', '--p2p-port', '0', '--json']);
    procs.push(miner);
    const url = await stderrLineAfter(miner, 'p2p: listening on ', WAIT_MS);
    const node = runCli(['node', '--mem', '--shards', '2', '--no-rpc', '--p2p-port', '0', '--peer', url]);
    procs.push(node);
    const dialer = await stderrLineAfter(node, `p2p: cannot connect to ${url}: `, WAIT_MS);
    assert.match(dialer, /^P2P_CONFIG_MISMATCH: the peer has another configuration: root\.algo is simulate there, doublesha256 here; start both nodes with the same chain flags/);
    const listener = await stderrLineAfter(miner, 'p2p: 127.0.0.1:', WAIT_MS);
    assert.match(listener, /P2P_CONFIG_MISMATCH \(disconnected\): the peer has another configuration: root\.algo is doublesha256 there, simulate here/);
    assert.ok(!miner.err.some((l) => l.includes('BAD_SEAL')), 'no bad-seal ban');
    for (const p of procs) p.child.kill('SIGINT');
    assert.equal(await miner.exit, 0);
    assert.equal(await node.exit, 0);
  } finally {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
});
