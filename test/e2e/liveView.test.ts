/**
 * `mine`'s live view on a real pseudo-terminal (util-linux `script`; skipped without it), and the
 * `--coinbase` usage errors of `mine` and `miner` (issue 15 items 1 and 8). On the terminal: the
 * banner and the listening lines stay above the region, nothing clears the screen, every line fits
 * 80 columns, the first frame shows `-` for genesis tips, `simulated` instead of `0 H/s`, and
 * NO_COLOR leaves no colour.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from '../utils/cliProcess.js';

const MAIN = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const hasScript = spawnSync('script', ['--version'], { stdio: 'ignore' }).status === 0;
/** CSI sequences (cursor moves, erases, SGR, private modes) carry no visible text. */
const CSI = /\x1b\[[0-9;?]*[A-Za-z]/g;
const SGR_COLOUR = /\x1b\[(1|2|3\d)m/;

function inPty(command: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; text: string }> {
  const child = spawn('script', ['-qfec', `stty cols 80 rows 24; exec ${command}`, '/dev/null'], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => chunks.push(b));
  return new Promise((r) => child.on('exit', (code) => r({ code, text: Buffer.concat(chunks).toString('utf8') })));
}

test('e2e: mine on a terminal keeps the banner and events in the scrollback and redraws a region within 80 columns', { skip: !hasScript && 'no `script` (util-linux)', timeout: 60_000 }, async () => {
  const cmd = `'${process.execPath}' '${MAIN}' mine --mem --algo simulate --no-p2p --rpc-port 0 --rpc-private-port 0 --no-dashboard --duration 3`;
  const { code, text } = await inPty(cmd, { NO_COLOR: '1' });
  assert.equal(code, 0, text);
  assert.ok(!text.includes('\x1b[2J') && !text.includes('\x1b[H'), 'no screen clears');
  assert.ok(!SGR_COLOUR.test(text), 'NO_COLOR: no colour');
  const lines = text.replace(CSI, '').split(/\r?\n/).map((l) => l.replace(/\r/g, ''));
  for (const l of lines) assert.ok([...l].length <= 80, `${[...l].length} columns: ${l}`);
  const at = (re: RegExp): number => lines.findIndex((l) => re.test(l));
  const banner = at(/^ {2}#0 0x[0-9a-f]{48}$/);
  assert.ok(banner >= 0 && /^ {5}key 0x[0-9a-f]{64}$/.test(lines[banner + 1]!), 'a dev key on its own line under its address');
  const listening = at(/^rpc: listening on http:\/\/127\.0\.0\.1:\d+$/);
  const region = at(/^chain\s+height\s+difficulty/);
  assert.ok(banner >= 0 && listening > banner && region > listening, 'banner, then the listening line, then the region');
  assert.match(lines[region + 2]!, /^0x4\s+0\s+\S+\s+-\s+-\s+simulated\s/, 'the first frame: no age for the genesis tip');
  assert.ok(!lines.some((l) => /\b0 H\/s/.test(l)), 'simulated, not 0 H/s');
  assert.match(lines[region - 1]!, /^hash rate: simulated /);
});

test('e2e: --coinbase that is not an address is a usage error on mine and miner', { timeout: 30_000 }, async () => {
  for (const args of [['mine', '--mem', '--no-p2p', '--no-rpc', '--coinbase', '0x1234'], ['miner', '--coinbase', 'nope']]) {
    const p = runCli(args);
    assert.equal(await p.exit, 2, p.err.join('\n'));
    assert.equal(p.err.length, 1, p.err.join('\n'));
    assert.match(p.err[0]!, /^shardminer: BAD_FLAG: --coinbase must be an address \(0x \+ 48 hex: recipient \+ full shard key\) or a recipient \(0x \+ 40 hex\), got '.*'; /);
  }
});
