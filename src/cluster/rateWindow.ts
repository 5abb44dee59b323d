/** Rates over sliding windows from cumulative counters sampled over time (hash rates, TPS). */
export class RateWindow {
  private readonly samples: { t: number; v: number }[] = [];

  /** `maxWindowSec`: the longest window asked for (older samples are dropped). */
  constructor(private readonly maxWindowSec = 60) {}

  add(tSec: number, cumulative: number): void {
    this.samples.push({ t: tSec, v: cumulative });
    while (this.samples.length > 2 && this.samples[1]!.t <= tSec - this.maxWindowSec) this.samples.shift();
  }

  /** Average rate over the last `windowSec` (or what has been seen of it); 0 before two samples. */
  rate(windowSec: number): number {
    const last = this.samples[this.samples.length - 1];
    if (!last) return 0;
    let first = this.samples[0]!;
    for (const s of this.samples) { if (s.t >= last.t - windowSec) { first = s; break; } }
    const dt = last.t - first.t;
    return dt > 0 ? (last.v - first.v) / dt : 0;
  }
}
