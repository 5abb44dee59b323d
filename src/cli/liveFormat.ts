/** Short number formats for the live view: each fits its column (see liveView.ts). */

const SI = ['', 'k', 'M', 'G', 'T', 'P', 'E'];
const STEP = 1000;
/** Below this a count is printed whole (difficulties of local chains are often a few thousand). */
const WHOLE_BELOW = 100_000;

/** Three significant digits: 999, 1.23, 12.3, 123. */
function sig3(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function scaled(v: number): { value: number; prefix: string } {
  let i = 0;
  while (v >= STEP && i < SI.length - 1) { v /= STEP; i++; }
  // 999.6 k rounds to "1000 k": move up a prefix instead.
  if (sig3(v) === '1000' && i < SI.length - 1) { v /= STEP; i++; }
  return { value: v, prefix: SI[i]! };
}

/** A hash rate in at most 9 columns: `0 H/s`, `12.3 kH/s`, `1.23 MH/s`. */
export function formatRate(hs: number): string {
  if (hs < STEP) return `${Math.round(hs)} H/s`;
  const s = scaled(hs);
  return `${sig3(s.value)} ${s.prefix}H/s`;
}

/** A count (difficulty) in at most 10 columns: whole below 100,000, then `123k`, `4.56M`. */
export function formatCount(n: number): string {
  if (n < WHOLE_BELOW) return String(Math.round(n));
  const s = scaled(n);
  return `${sig3(s.value)}${s.prefix}`;
}

/** Transfers per second: `0`, `3.40`, `12.3`, `1234`. */
export function formatTps(v: number): string {
  if (v === 0) return '0';
  return v >= 1000 ? v.toFixed(0) : sig3(v);
}

/** An age or a duration in at most 6 columns: `42s`, `3m05s`, `2h05m`, `3d04h`. */
export function formatAge(sec: number): string {
  const s = Math.max(0, Math.floor(sec));
  const two = (n: number): string => String(n).padStart(2, '0');
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${two(s % 60)}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${two(Math.floor(s / 60) % 60)}m`;
  return `${Math.floor(s / 86_400)}d${two(Math.floor(s / 3600) % 24)}h`;
}
