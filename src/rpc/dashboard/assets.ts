/**
 * The front-end files shipped with the package: the dashboard page under `assets/dashboard/`,
 * the report page under `assets/report/`, and uPlot's browser build from its npm package. No
 * CDN: a machine without internet serves and opens them as they are.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** The package root, from dist/src/rpc/dashboard/ (compiled) — four levels up. */
const PACKAGE_ROOT = new URL('../../../../', import.meta.url);

export interface Asset {
  readonly file: string;
  readonly type: string;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';
const HTML = 'text/html; charset=utf-8';

function uplotFile(name: string): string {
  return createRequire(import.meta.url).resolve(`uplot/dist/${name}`);
}

const inPackage = (rel: string): string => fileURLToPath(new URL(rel, PACKAGE_ROOT));

/** The dashboard's files by URL path. */
export function dashboardAssets(): ReadonlyMap<string, Asset> {
  return new Map<string, Asset>([
    ['/', { file: inPackage('assets/dashboard/index.html'), type: HTML }],
    ['/index.html', { file: inPackage('assets/dashboard/index.html'), type: HTML }],
    ['/dashboard.js', { file: inPackage('assets/dashboard/dashboard.js'), type: JS }],
    ['/dashboard.css', { file: inPackage('assets/dashboard/dashboard.css'), type: CSS }],
    ['/charts.js', { file: inPackage('assets/report/charts.js'), type: JS }],
    ['/uplot.js', { file: uplotFile('uPlot.iife.min.js'), type: JS }],
    ['/uplot.css', { file: uplotFile('uPlot.min.css'), type: CSS }],
  ]);
}

/** The files a self-contained HTML report inlines. */
export async function reportParts(): Promise<{ uplotJs: string; uplotCss: string; chartsJs: string; reportJs: string; css: string }> {
  const [uplotJs, uplotCss, chartsJs, reportJs, css] = await Promise.all([
    readFile(uplotFile('uPlot.iife.min.js'), 'utf8'), readFile(uplotFile('uPlot.min.css'), 'utf8'),
    readFile(inPackage('assets/report/charts.js'), 'utf8'), readFile(inPackage('assets/report/report.js'), 'utf8'),
    readFile(inPackage('assets/dashboard/dashboard.css'), 'utf8'),
  ]);
  return { uplotJs, uplotCss, chartsJs, reportJs, css };
}
