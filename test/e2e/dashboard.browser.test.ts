/**
 * The dashboard and the stress HTML report in a real headless Chromium (issue 13). Against a
 * running `mine --mem --algo simulate --tx-rate`: every shard and the root appear with
 * data-chain/data-height, heights increase over the WebSocket updates, the four charts draw
 * (uPlot canvases with a non-blank area), the heatmap fills, clicking a block shows its
 * details from the RPC, and the page logs no error. Then a `stress --report` file, opened from
 * disk, draws its charts. A failure saves a screenshot under os.tmpdir() and prints its path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'puppeteer-core';
import { runCli, stderrLineAfter } from '../utils/cliProcess.js';
import { withPage } from '../utils/browser.js';

const SHARDS = ['0x4', '0x5', '0x6', '0x7'];
const WAIT_MS = 60_000;

// Page-side code is passed as strings: the test build has no DOM types.

async function heights(page: Page): Promise<Record<string, number>> {
  return page.evaluate(`Object.fromEntries([...document.querySelectorAll('#chains tbody tr')].map((r) => [r.dataset.chain, Number(r.dataset.height)]))`) as Promise<Record<string, number>>;
}

/** Canvases of the charts inside `sel` that have at least one drawn (non-transparent) pixel. */
async function drawnCanvases(page: Page, sel: string): Promise<number> {
  return page.evaluate(`[...document.querySelectorAll(${JSON.stringify(sel + ' canvas')})].filter((cv) => {
    const d = cv.getContext('2d').getImageData(0, 0, cv.width, cv.height).data;
    for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) return true;
    return false;
  }).length`) as Promise<number>;
}

const text = (page: Page, sel: string): Promise<string> => page.evaluate(`document.querySelector(${JSON.stringify(sel)})?.textContent ?? ''`) as Promise<string>;
const count = (page: Page, sel: string): Promise<number> => page.evaluate(`document.querySelectorAll(${JSON.stringify(sel)}).length`) as Promise<number>;

test('browser: the dashboard shows every chain moving, charts, heatmap and block details, without errors', { timeout: 120_000 }, async () => {
  const node = runCli(['mine', '--mem', '--algo', 'simulate', '--tx-rate', '20', '--rpc-port', '0', '--rpc-private-port', '0', '--no-p2p', '--interval', '60']);
  try {
    const url = await stderrLineAfter(node, 'dashboard: listening on ', 30_000);
    await withPage('dashboard', async ({ page, errors }) => {
      await page.goto(url, { waitUntil: 'load' });
      await page.waitForSelector('#chains tbody tr[data-chain="root"]', { timeout: WAIT_MS });
      const first = await heights(page);
      assert.deepEqual(Object.keys(first).sort(), ['root', ...SHARDS].sort(), 'one row per chain');
      // Heights grow through the nodeStatus subscription (the page never reloads).
      await page.waitForFunction(`${JSON.stringify(SHARDS)}.every((c) => {
        const r = document.querySelector('#chains tbody tr[data-chain="' + c + '"]');
        return r !== null && Number(r.dataset.height) > ${JSON.stringify(first)}[c];
      })`, { timeout: WAIT_MS, polling: 500 });
      assert.equal(await text(page, '#conn'), 'live');
      for (const id of ['#chart-hashrate', '#chart-interval', '#chart-tps', '#chart-deposits']) {
        assert.ok(await drawnCanvases(page, id) >= 1, `${id} draws`);
      }
      assert.equal(await count(page, '#heatmap td'), SHARDS.length * SHARDS.length, 'a shard × shard heatmap');
      // A shard block with transfers opens its details through getMinorBlockById.
      const rowSel = '#blocks tbody tr:not([data-chain="root"])';
      await page.waitForSelector(rowSel, { timeout: WAIT_MS });
      const [chain, height] = await page.evaluate(`(() => { const r = document.querySelector('${rowSel}'); r.click(); return [r.dataset.chain, r.dataset.blockHeight]; })()`) as [string, string];
      const detailsSel = `#block-details[data-chain="${chain}"][data-height="${height}"]`;
      await page.waitForSelector(detailsSel, { timeout: WAIT_MS });
      const details = await text(page, detailsSel);
      assert.match(details, /Header/);
      assert.match(details, new RegExp(`Shard ${chain} block #${height}`));
      assert.match(details, /Transfers \(\d+\)/);
      assert.match(details, /Deposits/);
      assert.deepEqual(errors, [], 'no console or page error');
    });
  } finally {
    node.child.kill('SIGINT');
    await node.exit;
  }
});

test('browser: the stress HTML report opens from disk and draws its charts', { timeout: 120_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'shardminer-report-'));
  try {
    const file = join(dir, 'stress.html');
    const p = runCli(['stress', '--shards', '2', '--accounts', '64', '--duration', '6', '--warmup', '1', '--rate', '100', '--shard-block-time', '1', '--root-block-time', '1', '--drain-timeout', '60', '--report', file]);
    const code = await p.exit;
    assert.equal(code, 0, p.err.slice(-5).join('\n'));
    await withPage('stress-report', async ({ page, errors }) => {
      await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
      assert.match(await text(page, '#conservation'), /Conservation ok/);
      for (const id of ['#chart-tps', '#chart-latency-sec', '#chart-latency-root', '#chart-memory']) {
        assert.ok(await drawnCanvases(page, id) >= 1, `${id} draws`);
      }
      assert.deepEqual(errors, [], 'no console or page error');
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
