/**
 * Self-contained HTML reports (`stress --report`, `bench --report`): one file with uPlot, the
 * chart helpers, the report script and the data inlined, so it opens offline from anywhere.
 */
import { writeFile } from 'node:fs/promises';
import { reportParts } from '../../rpc/dashboard/assets.js';

/** JSON safe inside a <script> element (no `</script>`, no HTML comment openers). */
export function scriptJson(data: unknown): string {
  return JSON.stringify(data).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The whole page; `data.kind` tells report.js what to draw. */
export async function renderHtmlReport(title: string, data: { kind: string } & Record<string, unknown>): Promise<string> {
  const p = await reportParts();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>${p.uplotCss}</style>
<style>${p.css}</style>
</head>
<body class="report">
<header><h1>${escapeHtml(title)}</h1><span id="generated"></span></header>
<main id="report"></main>
<script>window.REPORT = ${scriptJson(data)};</script>
<script>${p.uplotJs}</script>
<script>${p.chartsJs}</script>
<script>${p.reportJs}</script>
</body>
</html>
`;
}

export async function writeHtmlReport(file: string, title: string, data: { kind: string } & Record<string, unknown>): Promise<void> {
  await writeFile(file, await renderHtmlReport(title, data));
}
