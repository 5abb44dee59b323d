/**
 * The external miner's hash-rate line, as xmrig prints it: `speed 10s/60s/15m A B C unit max M unit`,
 * each window `n/a` until that much time has been seen; max is the highest 10 s rate so far.
 */
/** The windows of the speed line, in seconds. */
export const WINDOWS_SEC = [10, 60, 900] as const;
const SHORT_WINDOW_SEC = WINDOWS_SEC[0];
const LONGEST_SEC = WINDOWS_SEC[WINDOWS_SEC.length - 1]!;
const UNITS = ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s'];
const UNIT_STEP = 1000;

export class SpeedMeter {
  private readonly samples: { t: number; v: number }[] = [];
  private best = 0;

  /** Records the cumulative hash count at `tSec`. */
  sample(tSec: number, cumulative: number): void {
    this.samples.push({ t: tSec, v: cumulative });
    while (this.samples.length > 2 && this.samples[1]!.t <= tSec - LONGEST_SEC) this.samples.shift();
    const r = this.rate(SHORT_WINDOW_SEC);
    if (r !== null && r > this.best) this.best = r;
  }

  /** Hashes per second over the last `windowSec`, or null before that much time was seen. */
  rate(windowSec: number): number | null {
    const last = this.samples[this.samples.length - 1];
    const first = this.samples[0];
    if (!last || !first || last.t - first.t < windowSec) return null;
    let from = first;
    for (const s of this.samples) { if (s.t > last.t - windowSec) break; from = s; }
    const dt = last.t - from.t;
    return dt > 0 ? (last.v - from.v) / dt : null;
  }

  get max(): number {
    return this.best;
  }

  line(): string {
    return speedText(WINDOWS_SEC.map((w) => this.rate(w)), this.best);
  }
}

/** `speed 10s/60s/15m A B C unit max M unit`, one unit for all, chosen by the 10 s rate or max. */
export function speedText(rates: readonly (number | null)[], max: number): string {
  const ref = Math.max(rates[0] ?? 0, max);
  let unit = 0;
  while (ref >= UNIT_STEP ** (unit + 1) && unit < UNITS.length - 1) unit++;
  const f = (v: number | null): string => (v === null ? 'n/a' : (v / UNIT_STEP ** unit).toFixed(2));
  return `speed 10s/60s/15m ${rates.map(f).join(' ')} ${UNITS[unit]} max ${f(max)} ${UNITS[unit]}`;
}
