/* The live dashboard: one JSON-RPC call (getNodeStatus) for the first picture, then the
 * `nodeStatus` subscription over the WebSocket, one message a second. Block details come from
 * the existing getMinorBlockById / getRootBlockById. Plain browser JS, no build step. */
(function () {
  'use strict';
  var MAX_POINTS = 300;
  var RECONNECT_MS = 2000;
  var rpcUrl = location.origin + location.pathname.replace(/[^/]*$/, '');
  var chains = null; // chain names in the order of the first status
  var hist = { xs: [], hashrate: [], interval: [], tps: [], sent: [], applied: [] };
  var charts = {};
  var lastStatus = null;
  var selected = null;
  var nextId = 1;

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function rate(v) { var u = ['H/s', 'kH/s', 'MH/s', 'GH/s']; var i = 0; while (v >= 1000 && i < u.length - 1) { v /= 1000; i++; } return v.toFixed(i ? 2 : 0) + ' ' + u[i]; }
  function dash(v, f) { return v === null || v === undefined ? '–' : (f ? f(v) : String(v)); }
  function short(h) { return h.slice(0, 10) + '…' + h.slice(-6); }

  function rpc(method, params) {
    return fetch(rpcUrl, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method: method, params: params || [] }) })
      .then(function (r) { return r.json(); })
      .then(function (j) { if (j.error) throw new Error(method + ': ' + j.error.message); return j.result; });
  }

  function renderChains(s) {
    var body = $('chains').tBodies[0];
    body.replaceChildren();
    s.chains.forEach(function (c) {
      var tr = el('tr');
      tr.dataset.chain = c.chain;
      tr.dataset.height = String(c.height);
      [c.chain, String(c.height), c.lastBlockAge + ' s ago', dash(c.blockInterval, function (v) { return v.toFixed(1) + ' s'; }), rate(c.hashrate),
        dash(c.tps, function (v) { return v.toFixed(1); }), dash(c.pool), dash(c.pendingDeposits), dash(c.mined), c.syncing ? 'yes' : 'no']
        .forEach(function (t) { tr.appendChild(el('td', t)); });
      body.appendChild(tr);
    });
    $('summary').textContent = 'root ' + s.chains[0].height + ' · ' + (s.chains.length - 1) + ' shards · ' + s.peers.length + ' peers';
  }

  function renderPeers(s) {
    var body = $('peers').tBodies[0];
    body.replaceChildren();
    if (!s.peers.length) { var tr = el('tr'); var td = el('td', 'no peers', 'muted'); td.colSpan = 5; tr.appendChild(td); body.appendChild(tr); }
    s.peers.forEach(function (p) {
      var tr = el('tr');
      tr.dataset.peer = p.id;
      [short(p.id), p.address, p.direction, dash(p.rootHeight), p.shardHeights.join(' ')].forEach(function (t) { tr.appendChild(el('td', t)); });
      body.appendChild(tr);
    });
  }

  function renderBlocks(s) {
    var body = $('blocks').tBodies[0];
    body.replaceChildren();
    s.latest.forEach(function (b) {
      var tr = el('tr');
      tr.dataset.chain = b.chain;
      tr.dataset.blockId = b.id;
      tr.dataset.blockHeight = String(b.height);
      if (selected === b.id) tr.className = 'selected';
      [b.chain, String(b.height), short(b.hash), Math.max(s.time - b.time, 0) + ' s', String(b.txs), String(b.deposits)].forEach(function (t, i) {
        tr.appendChild(el('td', t, i === 2 ? 'mono' : undefined));
      });
      tr.addEventListener('click', function () { showBlock(b); });
      body.appendChild(tr);
    });
  }

  function renderHeatmap(s) {
    SMCharts.heatmap($('heatmap'), { labels: s.xshard.shards, matrix: s.xshard.matrix });
    $('heat-note').textContent = 'sent from each shard (rows) to each shard (columns), last ' + s.xshard.rootBlocks + ' root blocks';
  }

  function push(p) {
    hist.xs.push(p.time);
    hist.hashrate.forEach(function (a, i) { a.push(p.hashrate[i] === undefined ? null : p.hashrate[i]); });
    hist.interval.forEach(function (a, i) { a.push(p.interval[i] === undefined ? null : p.interval[i]); });
    hist.tps.forEach(function (a, i) { a.push(p.tps[i + 1] === undefined ? null : p.tps[i + 1]); });
    hist.sent.push(p.depositsSent);
    hist.applied.push(p.depositsApplied);
    if (hist.xs.length > MAX_POINTS) {
      [hist.xs, hist.sent, hist.applied].concat(hist.hashrate, hist.interval, hist.tps).forEach(function (a) { a.shift(); });
    }
  }

  function makeCharts(s, history) {
    chains = s.chains.map(function (c) { return c.chain; });
    hist.hashrate = chains.map(function () { return []; });
    hist.interval = chains.map(function () { return []; });
    hist.tps = chains.slice(1).map(function () { return []; });
    history.forEach(push);
    var shardNames = chains.slice(1);
    charts.hashrate = SMCharts.line($('chart-hashrate'), { title: 'Hash rate per chain (H/s)', names: chains, xs: hist.xs, ys: hist.hashrate, yLabel: 'H/s' });
    charts.interval = SMCharts.line($('chart-interval'), { title: 'Block interval (s, mean of the last 10 blocks)', names: chains, xs: hist.xs, ys: hist.interval, yLabel: 's' });
    charts.tps = SMCharts.line($('chart-tps'), { title: 'Confirmed TPS per shard', names: shardNames, xs: hist.xs, ys: hist.tps, yLabel: 'tx/s' });
    charts.deposits = SMCharts.line($('chart-deposits'), { title: 'Cross-shard deposits per second', names: ['sent', 'applied'], xs: hist.xs, ys: [hist.sent, hist.applied], yLabel: '/s' });
  }

  function redraw() {
    charts.hashrate.setData([hist.xs].concat(hist.hashrate));
    charts.interval.setData([hist.xs].concat(hist.interval));
    charts.tps.setData([hist.xs].concat(hist.tps));
    charts.deposits.setData([hist.xs, hist.sent, hist.applied]);
  }

  function render(s) {
    lastStatus = s;
    renderChains(s);
    renderPeers(s);
    renderBlocks(s);
    renderHeatmap(s);
  }

  function kv(obj, keys) {
    var t = el('table');
    t.className = 'grid';
    keys.forEach(function (k) {
      if (obj[k] === undefined) return;
      var tr = el('tr');
      tr.appendChild(el('th', k));
      var v = obj[k];
      tr.appendChild(el('td', typeof v === 'object' ? JSON.stringify(v) : String(v), 'mono'));
      t.appendChild(tr);
    });
    return t;
  }

  function isCross(tx) { return parseInt(tx.toFullShardKey, 16) !== parseInt(tx.fromFullShardKey, 16); }

  function txTable(txs) {
    var t = el('table');
    t.className = 'grid';
    var head = el('tr');
    ['tx', 'from', 'to', 'to shard', 'value', 'kind'].forEach(function (h) { head.appendChild(el('th', h)); });
    t.appendChild(head);
    txs.forEach(function (tx) {
      var tr = el('tr');
      var cross = isCross(tx);
      [short(tx.hash), short(tx.from), short(tx.to), tx.toFullShardKey, BigInt(tx.value).toString(), cross ? 'cross-shard deposit' : 'in-shard']
        .forEach(function (v) { tr.appendChild(el('td', v, 'mono')); });
      t.appendChild(tr);
    });
    return t;
  }

  function showBlock(b) {
    selected = b.id;
    if (lastStatus) renderBlocks(lastStatus);
    var box = $('details');
    box.replaceChildren(el('p', 'loading ' + b.chain + ' #' + b.height + '…', 'muted'));
    var call = b.chain === 'root' ? rpc('getRootBlockById', [b.hash]) : rpc('getMinorBlockById', [b.id, true]);
    call.then(function (blk) {
      var d = el('div');
      d.id = 'block-details';
      d.dataset.chain = b.chain;
      d.dataset.height = String(b.height);
      if (!blk) { box.replaceChildren(el('p', 'block not found (pruned?)', 'muted')); return; }
      d.appendChild(el('h3', (b.chain === 'root' ? 'Root block' : 'Shard ' + b.chain + ' block') + ' #' + parseInt(blk.height, 16)));
      d.appendChild(el('h4', 'Header'));
      d.appendChild(kv(blk, ['hash', 'height', 'timestamp', 'difficulty', 'nonce', 'miner', 'hashPrevMinorBlock', 'hashPrevRootBlock', 'hashPrevBlock', 'gasUsed', 'xShardGasUsed', 'size']));
      if (b.chain === 'root') {
        d.appendChild(el('h4', 'Shard headers confirmed (' + blk.minorBlockHeaders.length + ')'));
        var t = el('table'); t.className = 'grid';
        blk.minorBlockHeaders.forEach(function (h) { var tr = el('tr'); [h.fullShardId || h.branch, String(parseInt(h.height, 16)), short(h.hash)].forEach(function (v) { tr.appendChild(el('td', String(v), 'mono')); }); t.appendChild(tr); });
        d.appendChild(t);
      } else {
        var txs = blk.transactions || [];
        var cross = txs.filter(isCross);
        d.appendChild(el('h4', 'Transfers (' + txs.length + ')'));
        d.appendChild(txTable(txs.slice(0, 50)));
        d.appendChild(el('h4', 'Deposits'));
        d.appendChild(el('p', cross.length + ' sent to other shards; ' + b.deposits + ' received deposits applied (xShardGasUsed ' + parseInt(blk.xShardGasUsed || '0x0', 16) + ')'));
      }
      box.replaceChildren(d);
    }).catch(function (e) { box.replaceChildren(el('p', String(e.message || e), 'bad')); });
  }

  function connect() {
    var ws = new WebSocket(rpcUrl.replace(/^http/, 'ws'));
    ws.onopen = function () {
      $('conn').textContent = 'live';
      $('conn').className = 'badge live';
      ws.send(JSON.stringify({ jsonrpc: '2.0', id: nextId++, method: 'subscribe', params: ['nodeStatus'] }));
    };
    ws.onmessage = function (ev) {
      var m = JSON.parse(ev.data);
      if (m.method !== 'subscription' || !m.params || !m.params.result || !m.params.result.chains) return;
      var s = m.params.result;
      render(s);
      if (hist.xs.length === 0 || hist.xs[hist.xs.length - 1] !== s.point.time) { push(s.point); redraw(); }
    };
    ws.onclose = function () {
      $('conn').textContent = 'disconnected';
      $('conn').className = 'badge down';
      setTimeout(connect, RECONNECT_MS);
    };
    ws.onerror = function () { /* onclose follows and retries */ };
  }

  rpc('getNodeStatus').then(function (r) {
    render(r.status);
    makeCharts(r.status, r.history);
    connect();
  }).catch(function (e) {
    $('conn').textContent = 'error: ' + (e.message || e);
    $('conn').className = 'badge down';
  });
})();
