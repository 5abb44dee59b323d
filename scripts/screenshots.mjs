#!/usr/bin/env node
/**
 * Takes the README's pictures into docs/: the dashboard of a running `mine --mem --algo simulate
 * --tx-rate 20` (after ~40 s, so the charts have a history), and a `stress --report` file. Needs
 * `npm run build` first and Chromium (apt-get install -y chromium; CHROMIUM_PATH overrides).
 * Run by hand (`node scripts/screenshots.mjs`), never by the tests.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import puppeteer from 'puppeteer-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = join(ROOT, 'dist/src/cli/main.js');
const DASHBOARD_WARMUP_MS = 40_000;
const chromium = process.env.CHROMIUM_PATH ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
if (!chromium) { console.error('no Chromium: apt-get install -y chromium'); process.exit(1); }

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function run(args) {
  const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  const lines = [];
  createInterface({ input: child.stderr }).on('line', (l) => lines.push(l));
  return { child, lines, exit: new Promise((r) => child.on('exit', r)) };
}

async function waitLine(p, prefix) {
  for (let i = 0; i < 600; i++) {
    const l = p.lines.find((x) => x.startsWith(prefix));
    if (l) return l.slice(prefix.length).trim();
    await sleep(100);
  }
  throw new Error(`no '${prefix}' line`);
}

const profile = await mkdtemp(join(tmpdir(), 'shardminer-shots-'));
const browser = await puppeteer.launch({
  executablePath: chromium, headless: true, defaultViewport: { width: 1400, height: 1000 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`],
});
try {
  const page = await browser.newPage();
  const mine = run(['mine', '--mem', '--algo', 'simulate', '--tx-rate', '20', '--rpc-port', '0', '--rpc-private-port', '0', '--no-p2p']);
  try {
    const url = await waitLine(mine, 'dashboard: listening on ');
    await sleep(DASHBOARD_WARMUP_MS);
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForSelector('#blocks tbody tr:not([data-chain="root"])');
    await sleep(2000);
    await page.evaluate(`document.querySelector('#blocks tbody tr:not([data-chain="root"])').click()`);
    await page.waitForSelector('#block-details');
    await page.screenshot({ path: join(ROOT, 'docs/dashboard.png'), fullPage: true });
    console.log('docs/dashboard.png');
  } finally {
    mine.child.kill('SIGINT');
    await mine.exit;
  }
  const report = join(profile, 'stress.html');
  const stress = run(['stress', '--shards', '4', '--accounts', '256', '--duration', '30', '--rate', '400', '--root-block-time', '3', '--report', report]);
  if ((await stress.exit) !== 0) throw new Error(`stress failed: ${stress.lines.slice(-3).join(' | ')}`);
  await page.goto(pathToFileURL(report).href, { waitUntil: 'load' });
  await page.screenshot({ path: join(ROOT, 'docs/stress-report.png'), fullPage: true });
  console.log('docs/stress-report.png');
} finally {
  await browser.close();
  await rm(profile, { recursive: true, force: true });
}
