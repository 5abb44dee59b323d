/**
 * A token bucket: `ratePerSec` tokens a second up to `burst`. `take(n, nowMs)` grants up to n and
 * returns how many; what is not granted is the caller's to drop (a peer's transfers past its cap).
 * `takeAll(n, nowMs)` grants all n or none (a response is sent whole or not at all).
 */
export class TokenBucket {
  private tokens: number;
  private atMs: number;

  constructor(private readonly ratePerSec: number, private readonly burst: number, nowMs: number) {
    this.tokens = burst;
    this.atMs = nowMs;
  }

  take(n: number, nowMs: number): number {
    this.refill(nowMs);
    const granted = Math.min(n, Math.floor(this.tokens));
    this.tokens -= granted;
    return granted;
  }

  /** Takes n tokens if the bucket holds them, else none; true when taken. */
  takeAll(n: number, nowMs: number): boolean {
    this.refill(nowMs);
    if (this.tokens < n) return false;
    this.tokens -= n;
    return true;
  }

  /** Whole tokens in the bucket now. */
  available(nowMs: number): number {
    this.refill(nowMs);
    return Math.floor(this.tokens);
  }

  private refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.atMs);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed / 1000) * this.ratePerSec);
    this.atMs = nowMs;
  }
}
