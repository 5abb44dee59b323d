/**
 * A token bucket: `ratePerSec` tokens a second up to `burst`. `take(n, nowMs)` grants up to n and
 * returns how many; what is not granted is the caller's to drop (a peer's transfers past its cap).
 */
export class TokenBucket {
  private tokens: number;
  private atMs: number;

  constructor(private readonly ratePerSec: number, private readonly burst: number, nowMs: number) {
    this.tokens = burst;
    this.atMs = nowMs;
  }

  take(n: number, nowMs: number): number {
    const elapsed = Math.max(0, nowMs - this.atMs);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.ratePerSec);
    this.atMs = nowMs;
    const granted = Math.min(n, Math.floor(this.tokens));
    this.tokens -= granted;
    return granted;
  }
}
