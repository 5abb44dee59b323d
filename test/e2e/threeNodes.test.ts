/**
 * Three processes on 127.0.0.1, as a user would run them (issue "shard P2P", Done when): two
 * `mine` nodes peered with each other and one `node` peered with both, each on its own ports,
 * `simulate` sealing at the default block times. A transfer sent through the `node`'s JSON-RPC
 * (`send --wait`) is confirmed; after that, every node's root tip and shard tips agree within one
 * block, and the stale share of the shard blocks the two miners sealed stays low.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli, stderrLineAfter, type Proc } from '../utils/cliProcess.js';
import { post, until } from '../integration/rpcHarness.js';

const CHAIN = ['--mem', '--algo', 'simulate', '--shards', '2'];
/** Every port picked by the OS: tests run beside each other. */
const PORTS = ['--p2p-port', '0', '--rpc-port', '0', '--rpc-private-port', '0'];
const WAIT_MS = 90_000;
/** Seconds of mining before the tips are compared, after the transfer is confirmed. */
const RUN_SEC = 20;
/** A loose bound on a small run (a few dozen blocks): before shard blocks were relayed it was ~50 %. */
const MAX_STALE_SHARE = 0.25;

interface Stats { rootHeight: number; shards: { height: number; mined: number }[] }

async function stats(rpcPrivate: string): Promise<Stats> {
  const r = await post(rpcPrivate, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getStats', params: [] }));
  return (JSON.parse(r.text) as { result: Stats }).result;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('e2e: two `mine` nodes and a `node` agree on every tip, and a transfer sent to the `node` is confirmed', { timeout: 240_000 }, async () => {
  const procs: Proc[] = [];
  const start = async (args: string[]): Promise<{ p: Proc; p2p: string; rpcPrivate: string; rpc: string }> => {
    const p = runCli(args);
    procs.push(p);
    const p2p = await stderrLineAfter(p, 'p2p: listening on ', WAIT_MS);
    const rpc = await stderrLineAfter(p, 'rpc: listening on ', WAIT_MS);
    const rpcPrivate = await stderrLineAfter(p, 'rpc: private listening on ', WAIT_MS);
    return { p, p2p, rpc, rpcPrivate };
  };
  try {
    const a = await start(['mine', ...CHAIN, ...PORTS, '--json']);
    const b = await start(['mine', ...CHAIN, ...PORTS, '--json', '--peer', a.p2p]);
    const c = await start(['node', ...CHAIN, ...PORTS, '--interval', '1', '--peer', a.p2p, '--peer', b.p2p]);
    // The first dev key and recipient as `mine` prints them; the transfer goes to another shard's key of the same recipient.
    const dev = /#0 0x([0-9a-f]{40})([0-9a-f]{8})\n\s+key (0x[0-9a-f]{64})/.exec(a.p.err.join('\n'));
    assert.ok(dev, 'mine prints its dev accounts');
    const to = `0x${dev[1]}${dev[2]}`;
    await until(async () => (await stats(c.rpcPrivate)).rootHeight >= 1, 'the node to sync a root block', WAIT_MS);
    const send = runCli(['send', '--rpc', c.rpc, '--key', dev[3]!, '--to', to, '--value', '7', '--wait', '--timeout', '80', '--json']);
    procs.push(send);
    assert.equal(await send.exit, 0, `send through the node: ${send.err.join(' | ')}`);
    const sent = JSON.parse(send.out.join('')) as { id: string; receipt: { blockHeight?: string; status?: string } | null };
    assert.ok(sent.receipt, 'send --wait returns the receipt of the confirmed transfer');

    const before = await Promise.all([stats(a.rpcPrivate), stats(b.rpcPrivate)]);
    const heightsBefore = (await stats(c.rpcPrivate)).shards.map((s) => s.height);
    await sleep(RUN_SEC * 1000);
    const [sa, sb, sc] = await Promise.all([stats(a.rpcPrivate), stats(b.rpcPrivate), stats(c.rpcPrivate)]);
    for (const s of [sb, sc]) {
      assert.ok(Math.abs(s.rootHeight - sa.rootHeight) <= 1, `root heights ${sa.rootHeight} and ${s.rootHeight}`);
      s.shards.forEach((sh, i) => assert.ok(Math.abs(sh.height - sa.shards[i]!.height) <= 1, `shard ${i} heights ${sa.shards[i]!.height} and ${sh.height}`));
    }
    const mined = [sa, sb].reduce((x, s, n) => x + s.shards.reduce((y, sh, i) => y + sh.mined - before[n]!.shards[i]!.mined, 0), 0);
    const gained = sc.shards.reduce((x, sh, i) => x + sh.height - heightsBefore[i]!, 0);
    assert.ok(mined > 0, 'the miners sealed blocks');
    assert.ok(1 - gained / mined <= MAX_STALE_SHARE, `stale share ${(1 - gained / mined).toFixed(2)} (${gained} canonical of ${mined} mined)`);
    for (const p of [c.p, b.p, a.p]) {
      p.child.kill('SIGINT');
      assert.equal(await p.exit, 0);
    }
  } finally {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
});
