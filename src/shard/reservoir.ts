/** Uniform reservoir sampling (stress latency samples): memory stays bounded on long runs. */
/** Uniform reservoir sample of a stream of numbers. */
export class Reservoir {
  private readonly items: number[] = [];
  private seen = 0;
  constructor(private readonly cap: number) {}
  add(v: number): void {
    this.seen++;
    if (this.items.length < this.cap) this.items.push(v);
    else {
      const j = Math.floor(Math.random() * this.seen);
      if (j < this.cap) this.items[j] = v;
    }
  }
  values(): number[] {
    return this.items.slice();
  }
}
