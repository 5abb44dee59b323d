/* Chart helpers over uPlot (shared by the dashboard and the HTML reports). Plain browser JS, no build step. */
(function (global) {
  'use strict';
  var PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

  function color(i) { return PALETTE[i % PALETTE.length]; }

  /** A line chart: xs (seconds or numbers) and one array per series. Returns the uPlot instance. */
  function line(el, o) {
    var series = [{ label: o.xLabel || 'time' }].concat(o.names.map(function (n, i) {
      return { label: n, stroke: color(i), width: 1.5, spanGaps: true, points: { show: o.points === true } };
    }));
    var opts = {
      title: o.title, width: o.width || Math.max(el.clientWidth, 320), height: o.height || 220, series: series,
      scales: { x: { time: o.time !== false } },
      axes: [{ label: o.xLabel || '' }, { label: o.yLabel || '', size: 60 }],
      legend: { live: false },
    };
    el.classList.add('chart');
    return new global.uPlot(opts, [o.xs].concat(o.ys), el);
  }

  /** A bar chart of categories (labels) → values (one or more series). */
  function bars(el, o) {
    var xs = o.labels.map(function (_, i) { return i; });
    var barPath = global.uPlot.paths.bars({ size: [0.7, 60] });
    var series = [{ label: o.xLabel || '' }].concat(o.names.map(function (n, i) {
      return { label: n, stroke: color(i), fill: color(i) + '99', paths: barPath, points: { show: false } };
    }));
    var opts = {
      title: o.title, width: o.width || Math.max(el.clientWidth, 320), height: o.height || 220, series: series,
      scales: { x: { time: false, range: [-0.5, xs.length - 0.5] } },
      axes: [{ label: o.xLabel || '', values: function (_u, ticks) { return ticks.map(function (t) { return o.labels[t] !== undefined ? o.labels[t] : ''; }); }, splits: function () { return xs; } },
        { label: o.yLabel || '', size: 60 }],
      legend: { live: false },
    };
    el.classList.add('chart');
    return new global.uPlot(opts, [xs].concat(o.ys), el);
  }

  /** A heatmap as a table (rows: from, columns: to), shaded by value. */
  function heatmap(el, o) {
    var max = 0;
    o.matrix.forEach(function (r) { r.forEach(function (v) { if (v > max) max = v; }); });
    var t = document.createElement('table');
    t.className = 'heatmap';
    var head = document.createElement('tr');
    head.appendChild(cell('th', o.corner || 'from \\ to'));
    o.labels.forEach(function (l) { head.appendChild(cell('th', l)); });
    t.appendChild(head);
    o.matrix.forEach(function (row, i) {
      var tr = document.createElement('tr');
      tr.appendChild(cell('th', o.labels[i]));
      row.forEach(function (v, j) {
        var td = cell('td', i === j ? '·' : String(v));
        var a = max > 0 && i !== j ? v / max : 0;
        td.style.background = 'rgba(214, 39, 40, ' + (0.08 + 0.85 * a).toFixed(3) + ')';
        td.dataset.from = o.labels[i];
        td.dataset.to = o.labels[j];
        td.dataset.value = String(v);
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    el.replaceChildren(t);
  }

  function cell(tag, text) {
    var c = document.createElement(tag);
    c.textContent = text;
    return c;
  }

  global.SMCharts = { line: line, bars: bars, heatmap: heatmap, color: color };
})(window);
