/** The data of `bench --report FILE.html`: per combination, the median total and per-thread hash rate against the same-run reference. */
import { si, type BenchDoc } from '../benchReport.js';

export function benchReportData(docs: readonly BenchDoc[]): { kind: 'bench' } & Record<string, unknown> {
  const first = docs[0];
  return {
    kind: 'bench', generated: new Date().toISOString(),
    labels: docs.map((d) => `${d.algo} ${d.kernel} ×${d.threads}`),
    total: docs.map((d) => Math.round(d.hashrate.median)),
    perThread: docs.map((d) => Math.round(d.hashrate.median / d.threads)),
    reference: docs.map((d) => Math.round(d.reference.hashrate * d.threads)),
    rows: docs.map((d) => [`${d.algo} ${d.kernel} (${d.variant}) ×${d.threads}`, si(d.hashrate.median), si(d.hashrate.min), si(d.hashrate.max),
      si(d.hashrate.median / d.threads), `${si(d.reference.hashrate)} (${d.reference.name})`, `${d.efficiency.toFixed(2)}×`, d.checksum]),
    machine: first ? `${first.cpu.model}, ${first.cpu.threads} threads, Node ${first.node}; warm-up ${first.warmupSec} s, ${first.durationSec} s per trial` : 'no combination ran',
  };
}
