/* Draws a self-contained HTML report from window.REPORT (kind "stress" or "bench"). Plain browser JS. */
(function () {
  'use strict';
  var R = window.REPORT;
  var main = document.getElementById('report');
  document.getElementById('generated').textContent = R.generated ? 'generated ' + R.generated : '';

  function section(title, id) {
    var s = document.createElement('section');
    var h = document.createElement('h2');
    h.textContent = title;
    s.appendChild(h);
    var box = document.createElement('div');
    box.className = 'chart-box';
    if (id) box.id = id;
    s.appendChild(box);
    main.appendChild(s);
    return box;
  }
  function note(box, text) { var p = document.createElement('p'); p.className = 'muted'; p.textContent = text; box.appendChild(p); }
  function pre(title, text) { var box = section(title); var p = document.createElement('pre'); p.textContent = text; box.appendChild(p); }

  function stress() {
    var c = document.createElement('p');
    c.id = 'conservation';
    c.className = R.conservation.ok && R.lost === 0 ? 'ok' : 'bad';
    c.textContent = 'Conservation ' + (R.conservation.ok ? 'ok' : 'FAILED') + ': ' + R.conservation.line + ' · lost ' + R.lost + ' · confirmed ' + R.confirmedTps.toFixed(1) + ' tx/s';
    main.appendChild(c);
    var s = R.series;
    var tps = section('Confirmed TPS per shard', 'chart-tps');
    if (s.t.length) SMCharts.line(tps, { title: 'confirmed transfers per second', names: s.shards, xs: s.t, ys: s.tps, time: false, xLabel: 'seconds since start', yLabel: 'tx/s' });
    else note(tps, 'no samples');
    var lat = section('Cross-shard latency, seconds (source block to applied deposit)', 'chart-latency-sec');
    if (R.latencySec.counts.length) SMCharts.bars(lat, { title: 'deposits by latency (s)', names: ['deposits'], labels: R.latencySec.labels, ys: [R.latencySec.counts], xLabel: 'seconds', yLabel: 'deposits' });
    else note(lat, 'no cross-shard deposits applied');
    var latR = section('Cross-shard latency, root blocks', 'chart-latency-root');
    if (R.latencyRootBlocks.counts.length) SMCharts.bars(latR, { title: 'deposits by latency (root blocks)', names: ['deposits'], labels: R.latencyRootBlocks.labels, ys: [R.latencyRootBlocks.counts], xLabel: 'root blocks', yLabel: 'deposits' });
    else note(latR, 'no cross-shard deposits applied');
    var mem = section('Memory over time', 'chart-memory');
    if (s.t.length) SMCharts.line(mem, { title: 'process memory (MB)', names: ['RSS', 'main heap used'], xs: s.t, ys: [s.rssMB, s.heapMB], time: false, xLabel: 'seconds since start', yLabel: 'MB' });
    else note(mem, 'no samples');
    var rej = section('Rejections by reason', 'chart-rejected');
    if (R.rejected.counts.length) SMCharts.bars(rej, { title: 'rejected transfers', names: ['rejected'], labels: R.rejected.labels, ys: [R.rejected.counts], yLabel: 'transfers' });
    else note(rej, 'none rejected');
    pre('Text report', R.text);
  }

  function bench() {
    var box = section('Hash rate per kernel and thread count, against the reference', 'chart-bench');
    SMCharts.bars(box, { title: 'median hash rate (H/s)', names: ['total', 'per thread', 'reference × threads'], labels: R.labels, ys: [R.total, R.perThread, R.reference], yLabel: 'H/s' });
    var t = document.createElement('table');
    t.className = 'grid';
    t.id = 'bench-table';
    var head = document.createElement('tr');
    ['combination', 'total (median)', 'min', 'max', 'per thread', 'reference', 'per thread ÷ reference', 'checksum'].forEach(function (h) { var th = document.createElement('th'); th.textContent = h; head.appendChild(th); });
    t.appendChild(head);
    R.rows.forEach(function (r) {
      var tr = document.createElement('tr');
      r.forEach(function (v) { var td = document.createElement('td'); td.textContent = v; tr.appendChild(td); });
      t.appendChild(tr);
    });
    var s = section('Results');
    s.appendChild(t);
    pre('Machine', R.machine);
  }

  if (R.kind === 'stress') stress();
  else if (R.kind === 'bench') bench();
})();
