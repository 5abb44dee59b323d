/**
 * Headless Chromium for the browser tests, driven by puppeteer-core: the system browser
 * (Debian's `chromium`; CHROMIUM_PATH overrides), never one downloaded by npm. Each launch gets
 * an empty profile under os.tmpdir(). Console errors and page errors are collected; on failure
 * `withPage` saves a screenshot under os.tmpdir() and prints its path.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const p = process.env.CHROMIUM_PATH ?? CANDIDATES.find((c) => existsSync(c));
  if (!p) throw new Error('no Chromium found: apt-get install -y chromium (or set CHROMIUM_PATH)');
  return p;
}

export interface PageRun {
  readonly page: Page;
  /** Console messages of type error, and uncaught page errors. */
  readonly errors: string[];
}

export async function withPage<T>(name: string, fn: (r: PageRun) => Promise<T>): Promise<T> {
  const profile = await mkdtemp(join(tmpdir(), 'shardminer-chromium-'));
  const browser: Browser = await puppeteer.launch({
    executablePath: chromiumPath(), headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, '--window-size=1280,1000'],
    defaultViewport: { width: 1280, height: 1000 },
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e instanceof Error ? e.message : String(e)}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    try {
      return await fn({ page, errors });
    } catch (e) {
      const shot = join(tmpdir(), `shardminer-${name}-${Date.now()}.png`);
      await page.screenshot({ path: shot, fullPage: true }).then(() => console.error(`screenshot saved: ${shot}`), () => undefined);
      throw e;
    }
  } finally {
    await browser.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true }).catch(() => undefined);
  }
}
