/**
 * GET routing of the JSON-RPC server (issue 13): the page and its assets, /metrics, 404 for an
 * unknown path, 405 for other methods, POST still JSON-RPC; and the gating: on a non-loopback
 * host without --rpc-private the public server serves neither page nor metrics (the private
 * port does), and --no-dashboard leaves /metrics only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../../../src/core/config.js';
import { Coordinator } from '../../../src/cluster/coordinator.js';
import { RpcService, type RpcStartOptions } from '../../../src/rpc/start.js';
import { getRoutes } from '../../../src/rpc/dashboard/httpRoutes.js';
import { dashboardAssets } from '../../../src/rpc/dashboard/assets.js';

async function withService(o: Partial<RpcStartOptions>, fn: (s: RpcService, lines: string[]) => Promise<void>): Promise<void> {
  const cfg = defaultConfig({ shards: 2, algo: 'simulate' });
  const node = await Coordinator.start({ config: cfg, datadir: null, inProcess: true, log: () => undefined });
  const lines: string[] = [];
  const rpc = await RpcService.start(node, { host: '127.0.0.1', port: 0, privatePort: 0, exposePrivate: false, remote: true, txRate: 0, log: (l) => lines.push(l), ...o });
  try { await fn(rpc, lines); } finally { await rpc.close(); await node.stop(); }
}

const get = (url: string, method = 'GET'): Promise<Response> => fetch(url, { method });

test('GET serves the page, its assets and /metrics; unknown paths 404; other methods 405; POST stays JSON-RPC', async () => {
  await withService({}, async (rpc, lines) => {
    const u = rpc.pub.url;
    assert.ok(lines.includes(`dashboard: listening on ${u}/`), 'the dashboard line follows the rpc line');
    assert.ok(lines.indexOf(`rpc: listening on ${u}`) < lines.indexOf(`dashboard: listening on ${u}/`));
    const page = await get(`${u}/`);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /^text\/html/);
    const html = await page.text();
    assert.match(html, /data-chain|id="chains"/);
    assert.doesNotMatch(html, /https?:\/\/(?!127)/, 'no external (CDN) address in the page');
    for (const [path, type] of [['/dashboard.js', /javascript/], ['/uplot.js', /javascript/], ['/uplot.css', /css/], ['/charts.js', /javascript/], ['/index.html?x=1', /html/]] as const) {
      const r = await get(u + path);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get('content-type')!, type, path);
      assert.ok((await r.text()).length > 100, path);
    }
    const m = await get(`${u}/metrics`);
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type')!, /^text\/plain; version=0\.0\.4/);
    assert.match(await m.text(), /^# TYPE shardminer_chain_height gauge$/m);
    assert.equal((await get(`${u}/nope`)).status, 404);
    assert.equal((await get(`${u}/../package.json`)).status, 404);
    const head = await get(`${u}/`, 'HEAD');
    assert.equal(head.status, 200);
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      const r = await get(`${u}/`, method);
      assert.equal(r.status, 405, method);
      assert.match(r.headers.get('allow')!, /GET.*POST/);
    }
    const call = await fetch(u, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'getNodeStatus', params: [] }) });
    const body = await call.json() as { result: { status: { chains: { chain: string }[] }; history: unknown[] } };
    assert.deepEqual(body.result.status.chains.map((c) => c.chain), ['root', '0x2', '0x3']);
  });
});

test('a non-loopback public host without --rpc-private serves no page and no /metrics; the private port does', async () => {
  await withService({ host: '0.0.0.0' }, async (rpc, lines) => {
    const pubUrl = `http://127.0.0.1:${rpc.pub.port}`;
    assert.equal((await get(`${pubUrl}/`)).status, 405);
    assert.equal((await get(`${pubUrl}/metrics`)).status, 405);
    const priv = rpc.priv!.url;
    assert.equal((await get(`${priv}/`)).status, 200);
    assert.equal((await get(`${priv}/metrics`)).status, 200);
    assert.ok(lines.includes(`dashboard: listening on ${priv}/`));
  });
});

test('--no-dashboard: no page (404), /metrics still served, no dashboard line', async () => {
  await withService({ dashboard: false }, async (rpc, lines) => {
    assert.equal((await get(`${rpc.pub.url}/`)).status, 404);
    assert.equal((await get(`${rpc.pub.url}/metrics`)).status, 200);
    assert.ok(!lines.some((l) => l.startsWith('dashboard:')));
  });
});

test('getRoutes: a missing asset file is a 500 naming the path, not a crash', async () => {
  const h = getRoutes({ assets: new Map([['/x.js', { file: '/nonexistent/x.js', type: 'text/javascript' }]]), metrics: null });
  const r = await h('/x.js');
  assert.equal(r.status, 500);
  assert.equal((await h('/metrics')).status, 404, 'no metrics configured');
  assert.ok(dashboardAssets().has('/'));
});
