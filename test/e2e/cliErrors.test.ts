/**
 * The command line's first hour (issue 15), each case on the real CLI: one error format
 * (`shardminer: CODE: what happened; what to do`, one line, documented exit code), help and
 * version, the --config schema, `shardminer config`, --mem with --datadir, a datadir with another
 * configuration, a port in use, connection refused, a chain refusal under its own code, and
 * `send` twice in a row (pending nonce) and with `--nonce`.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, stderrLineAfter, type Proc } from '../utils/cliProcess.js';

const WAIT_MS = 60_000;
/** `shardminer: CODE: what happened; what to do` on one line. */
const ONE_LINE = /^shardminer: [A-Z0-9_]+: [^\n]+; [^\n]+$/;

async function done(args: string[]): Promise<{ code: number | null; out: string[]; err: string[] }> {
  const p = runCli(args);
  const code = await p.exit;
  await new Promise((r) => setImmediate(r)); // let the last lines arrive
  return { code, out: p.out, err: p.err };
}

/** Exactly one error line on stderr (after a banner, if the command got that far), in the one format, matching `re`, with exit code `code`. */
async function expectError(args: string[], code: number, re: RegExp): Promise<string> {
  const r = await done(args);
  assert.equal(r.code, code, `${args.join(' ')}: exit ${r.code}: ${r.err.join(' | ')}`);
  const errors = r.err.filter((l) => /^shardminer: [A-Z0-9_]+: /.test(l));
  assert.equal(errors.length, 1, `${args.join(' ')}: one error line, got ${r.err.join(' | ')}`);
  assert.equal(r.err[r.err.length - 1], errors[0], 'the error is the last line');
  assert.match(errors[0]!, ONE_LINE);
  assert.match(errors[0]!, re);
  return errors[0]!;
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise((r) => s.close(r));
  return port;
}

test('cli: bare shardminer prints help (exit 0), --version prints the version, usage errors are one line pointing to --help (exit 2)', async () => {
  const bare = await done([]);
  assert.equal(bare.code, 0);
  assert.ok(bare.out.some((l) => l.startsWith('Usage: shardminer')), bare.out.join('\n'));
  assert.ok(bare.out.some((l) => /^\s+config /.test(l)), 'the config command is listed');
  const v = await done(['--version']);
  assert.equal(v.code, 0);
  assert.match(v.out[0] ?? '', /^\d+\.\d+\.\d+$/);
  await expectError(['mine', '--frobnicate'], 2, /^shardminer: BAD_FLAG: unknown option '--frobnicate'; see 'shardminer mine --help'$/);
  await expectError(['frob'], 2, /^shardminer: BAD_FLAG: unknown command 'frob'; see 'shardminer --help'$/);
  await expectError(['send', '--to', '0x00'], 2, /required option '--key <HEX>' not specified; see 'shardminer send --help'$/);
  await expectError(['mine', '--mem', '--datadir', 'x'], 2, /^shardminer: BAD_FLAG: --mem and --datadir together: keep one .*; see 'shardminer mine --help'$/);
  await expectError(['node', '--ports-offset', '500'], 2, /^shardminer: BAD_FLAG: --ports-offset must be an integer 0\.\.99, got '500'/);
});

test('cli: --config is checked by the schema with the field path (exit 2); `shardminer config` prints the effective configuration, a valid --config file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shardminer-cfg-'));
  try {
    const file = (name: string, v: unknown): string => { const p = join(dir, name); writeFileSync(p, JSON.stringify(v)); return p; };
    await expectError(['config', '--config', file('a.json', { shards: 3 })], 2, /BAD_CONFIG: --config .*a\.json: shards: unknown key \(the file sets chains\[i\]\.shardSize\); /);
    await expectError(['config', '--config', file('b.json', { rootDifficulty: 'abc' })], 2, /rootDifficulty: unknown key \(the file sets root\.genesisDifficulty\)/);
    await expectError(['config', '--config', file('c.json', { root: { genesisDifficulty: 'abc' } })], 2, /root\.genesisDifficulty: expected a decimal integer string like "1000" \(got "abc"\)/);
    await expectError(['mine', '--config', file('d.json', { chains: [{ shardSize: 3 }] })], 2, /chains\[0\]\.shardSize: must be a power of two \(got 3\)/);
    await expectError(['config', '--config', file('e.json', { networkId: 'x' })], 2, /networkId: .*expected number.*\(got "x"\)/);
    await expectError(['config', '--config', file('f.json', { taxRate: { num: '3', den: '2' } })], 2, /taxRate: must be a fraction in \[0, 1\)/);

    const eff = await done(['config', '--config', file('g.json', { chains: [{ shardSize: 2 }, { shardSize: 8, consensus: { algo: 'simulate' } }] }), '--root-algo', 'simulate']);
    assert.equal(eff.code, 0, eff.err.join('\n'));
    const cfg = JSON.parse(eff.out.join('\n')) as { chains: { shardSize: number; consensus: { algo: string } }[]; root: { algo: string; genesisDifficulty: string } };
    assert.deepEqual(cfg.chains.map((c) => [c.shardSize, c.consensus.algo]), [[2, 'doublesha256'], [8, 'simulate']]);
    assert.equal(cfg.root.algo, 'simulate', 'flags override the file');
    assert.match(cfg.root.genesisDifficulty, /^\d+$/, 'amounts as decimal strings');
    const again = await done(['config', '--config', file('h.json', cfg)]);
    assert.deepEqual(JSON.parse(again.out.join('\n')), cfg, 'the output is a valid --config file that gives the same configuration');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: a datadir with another configuration names the differing field and suggests --mem / --datadir (exit 1)', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shardminer-dd-'));
  try {
    const base = ['mine', '--datadir', dir, '--algo', 'simulate', '--no-p2p', '--no-rpc', '--duration', '1', '--json'];
    const first = await done([...base, '--shards', '2']);
    assert.equal(first.code, 0, first.err.join('\n'));
    await expectError([...base, '--shards', '4'], 1,
      /^shardminer: CONFIG_MISMATCH: the root database was created with another configuration \(chains\[0\]\.shardSize was 2, now 4\); start with the flags it was created with, or use --mem, or another --datadir$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('cli: connection refused says so and asks whether a node runs there (exit 1)', async () => {
  const port = await closedPort();
  await expectError(['balance', '--rpc', `http://127.0.0.1:${port}`, `0x${'11'.repeat(20)}00000000`], 1,
    new RegExp(`^shardminer: RPC_UNREACHABLE: cannot reach http://127\\.0\\.0\\.1:${port}: connection refused \\(ECONNREFUSED\\); is a node running at that address\\? start one with 'shardminer mine', or pass --rpc URL$`));
});

test('cli: against a running node: port in use, send twice (pending nonce), --nonce reuse and a chain refusal under its own code', { timeout: 120_000 }, async () => {
  const procs: Proc[] = [];
  try {
    const node = runCli(['mine', '--mem', '--algo', 'simulate', '--shards', '2', '--no-p2p', '--rpc-port', '0', '--rpc-private-port', '0', '--json']);
    procs.push(node);
    const url = await stderrLineAfter(node, 'rpc: listening on ', WAIT_MS);
    const port = url.slice(url.lastIndexOf(':') + 1);
    // The banner: each dev address, then its key on the next line.
    const devs = [...node.err.join('\n').matchAll(/#\d+ (0x[0-9a-f]{48})\n\s+key (0x[0-9a-f]{64})/g)];
    const [, , key0] = devs[0]!;
    const [, to1] = devs[1]!;

    await expectError(['mine', '--mem', '--no-p2p', '--rpc-port', port], 1,
      new RegExp(`^shardminer: PORT_IN_USE: rpc: cannot listen on 127\\.0\\.0\\.1:${port}: the port is in use; another node may be running: stop it, or pass --ports-offset 1, --rpc-port 0 \\(any free port\\) or --no-rpc$`));

    const send = (...extra: string[]): Promise<{ code: number | null; out: string[]; err: string[] }> =>
      done(['send', '--rpc', url, '--key', key0!, '--to', to1!, '--value', '1', ...extra]);
    const a = await send();
    const b = await send();
    assert.equal(a.code, 0, a.err.join('\n'));
    assert.equal(b.code, 0, `a second send right away takes the pending nonce: ${b.err.join('\n')}`);
    assert.ok(a.err.some((l) => l.includes(' nonce 0')) && b.err.some((l) => l.includes(' nonce 1')), [...a.err, ...b.err].join('\n'));
    await expectError(['send', '--rpc', url, '--key', key0!, '--to', to1!, '--value', '2', '--nonce', '1'], 1,
      /^shardminer: TX_NONCE_(EXISTS|TOO_LOW): .*; /);
    await expectError(['send', '--rpc', url, '--key', key0!, '--to', to1!, '--value', '100000000qkc'], 1,
      /^shardminer: TX_INSUFFICIENT_BALANCE: balance \d+ < value \+ gas \d+; send less, or fund the sender on that shard/);
    node.child.kill('SIGINT');
    assert.equal(await node.exit, 0);
  } finally {
    for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  }
});
