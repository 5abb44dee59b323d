/**
 * Issue 15 item 8 renderers: the miner's share and speed lines (full shard ids, share totals
 * and accept rate; NDJSON fields), `--coinbase` parsing, and `mine`'s banner (80 columns, a dev
 * key on its own line under its address, where rewards go).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addressToHex } from '../../../src/core/address.js';
import { toHex } from '../../../src/core/bytes.js';
import { ChainError } from '../../../src/core/errors.js';
import { defaultConfig } from '../../../src/core/config.js';
import { devAccounts } from '../../../src/consensus/genesis.js';
import { reportLine, speedReport, type ShareReport } from '../../../src/miner/minerReport.js';
import { SpeedMeter } from '../../../src/miner/speed.js';
import { coinbaseOf, coinbaseRecipientOf } from '../../../src/cli/coinbaseFlag.js';
import { mineBanner } from '../../../src/cli/mineBanner.js';

const RECIPIENT = '0x' + 'ab'.repeat(20);

test('miner: a share line names the full shard id and the chain totals', () => {
  const r: ShareReport = { type: 'share', time: 1_800_000_000, chain: '0x5', height: 12, accepted: true, chainShares: { accepted: 3, rejected: 1 }, shares: { accepted: 9, rejected: 1 } };
  assert.match(reportLine(r), /^\d\d:\d\d:\d\d accepted shard 0x5 height 12 \(accepted 3, rejected 1\)$/);
  assert.match(reportLine({ ...r, chain: 'root', accepted: false }), /^\d\d:\d\d:\d\d rejected root height 12 /);
});

test('miner: the speed line carries share totals and the accept rate; its JSON has the numbers', () => {
  const m = new SpeedMeter();
  for (let t = 0; t <= 12; t++) m.sample(t, t * 2_000_000);
  const s = speedReport(m, { accepted: 12, rejected: 1 }, 1_800_000_000_000);
  assert.equal(s.type, 'speed');
  assert.equal(s.hashrate10s, 2_000_000);
  assert.equal(s.hashrate60s, null);
  assert.equal(s.acceptRate, 12 / 13);
  assert.deepEqual(s.shares, { accepted: 12, rejected: 1 });
  assert.equal(s.time, 1_800_000_000);
  const line = reportLine(s);
  assert.match(line, /^\d\d:\d\d:\d\d speed 10s\/60s\/15m 2\.00 n\/a n\/a MH\/s max 2\.00 MH\/s shares 12\/13 \(92%\)$/);
  assert.ok(line.length <= 80, line);
  assert.match(reportLine(speedReport(new SpeedMeter(), { accepted: 0, rejected: 0 })), /shares 0\/0 \(n\/a\)$/);
  const json = JSON.parse(JSON.stringify(s)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(json).sort(), ['acceptRate', 'hashrate10s', 'hashrate15m', 'hashrate60s', 'max', 'shares', 'time', 'type']);
});

test('--coinbase: a recipient or an address; anything else is a usage error', () => {
  const cfg = defaultConfig();
  assert.equal(toHex(coinbaseRecipientOf(RECIPIENT)!), RECIPIENT);
  assert.equal(toHex(coinbaseRecipientOf(RECIPIENT + '00000003')!), RECIPIENT, 'an address gives its recipient');
  assert.equal(coinbaseRecipientOf(undefined), undefined);
  const a = coinbaseOf(RECIPIENT + '00000003', cfg)!;
  assert.equal(a.fullShardKey, 3);
  assert.equal(coinbaseOf(RECIPIENT, cfg)!.fullShardKey, 0, "a recipient takes the first shard's key for root blocks");
  for (const bad of ['0x1234', 'ab'.repeat(20), RECIPIENT + 'zz', '0x' + 'ab'.repeat(21), RECIPIENT + '00010000']) {
    assert.throws(() => coinbaseOf(bad, cfg), (e) => e instanceof ChainError && e.code === 'BAD_FLAG' && e.message.includes('--coinbase'), bad);
  }
});

test("mine's banner: every line within 80 columns, each dev key under its address, and where rewards go", () => {
  const cfg = defaultConfig();
  const dev = devAccounts(cfg)[0]!;
  const coinbase = { recipient: dev.recipient, fullShardKey: 0 };
  const lines = mineBanner(cfg, { datadir: './data', coinbase, coinbaseGiven: false, remote: true });
  for (const l of lines) assert.ok([...l].length <= 80, `${[...l].length}: ${l}`);
  const i = lines.findIndex((l) => l.startsWith('  #0 '));
  assert.equal(lines[i], `  #0 ${addressToHex(coinbase)}`);
  assert.equal(lines[i + 1], `     key ${toHex(dev.privateKey)}`);
  assert.ok(lines.includes(`rewards: ${addressToHex(coinbase)}`));
  assert.ok(lines.some((l) => l.includes('--coinbase ADDRESS')));
  assert.match(lines[0]!, /^shardminer: 1 chain\(s\) × 4 shards \(0x4\.\.0x7\)$/);
});
