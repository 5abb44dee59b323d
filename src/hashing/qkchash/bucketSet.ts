/**
 * The ordered set QKCHash works on, built for speed and undone instead of copied per hash.
 *
 * Values are u64 as (hi, lo) u32 halves. The set is cut into 2^13 buckets by the top 13 bits
 * (~8 values each); inside a bucket the remaining 51 bits are an exact float64 key, kept sorted
 * in a fixed slice of one Float64Array (capacity = the pristine count + SLACK). A Fenwick tree
 * over the bucket counts finds the p-th smallest value in 13 steps. (Measured on Node 20: 2^13
 * buckets hash ~15% faster than 2^11; 2^11 is the fewest that keeps keys within 53 bits.) Every removal and insertion is logged; `undo`
 * replays the log backwards (cheap shifts inside small buckets) and restores the counts, so the
 * next hash starts from the pristine cache without copying 65,536 entries.
 * If a bucket would exceed its capacity (practically never: it needs ≥ SLACK net insertions into
 * one bucket within one hash), `overflow` is set and the caller falls back to the reference.
 */
const BUCKET_BITS = 13;
const BUCKETS = 1 << BUCKET_BITS;
const KEY_HI_BITS = 32 - BUCKET_BITS;
const KEY_HI_MASK = (1 << KEY_HI_BITS) - 1;
const TWO_32 = 4294967296;
/**
 * Free slots per bucket. A hash inserts ≤ 1024 values into 8192 buckets (Poisson(1/8) per
 * bucket): ≥ 8 net insertions into one bucket has probability ~1e-12 per bucket per hash.
 */
const SLACK = 8;
/** Log capacity: one removal and at most one insertion per access (64 rounds × 16 words). */
const MAX_LOG = 2 * 64 * 16;
const OP_DELETE = 0;
const OP_INSERT = 1;

export class QkcBucketSet {
  private readonly keys: Float64Array;
  private readonly start = new Int32Array(BUCKETS);
  private readonly cap = new Int32Array(BUCKETS);
  private readonly count = new Int32Array(BUCKETS);
  private readonly tree = new Int32Array(BUCKETS + 1);
  private readonly pristineTree = new Int32Array(BUCKETS + 1);
  private readonly pristineSize: number;
  private readonly logOp = new Uint8Array(MAX_LOG);
  private readonly logBucket = new Int32Array(MAX_LOG);
  private readonly logPos = new Int32Array(MAX_LOG);
  private readonly logKey = new Float64Array(MAX_LOG);
  private logLen = 0;
  size: number;
  overflow = false;
  /** The value removed by the last `deleteAt`, as u32 halves. */
  outHi = 0;
  outLo = 0;

  /** `values`: sorted ascending, distinct. */
  constructor(values: BigUint64Array) {
    const counts = new Int32Array(BUCKETS);
    for (let i = 0; i < values.length; i++) counts[Number(values[i]! >> BigInt(64 - BUCKET_BITS))]!++;
    let total = 0;
    for (let b = 0; b < BUCKETS; b++) {
      this.start[b] = total;
      this.cap[b] = counts[b]! + SLACK;
      total += counts[b]! + SLACK;
    }
    this.keys = new Float64Array(total);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      const hi = Number(v >> 32n), lo = Number(v & 0xffffffffn);
      const b = hi >>> KEY_HI_BITS;
      this.keys[this.start[b]! + this.count[b]!] = (hi & KEY_HI_MASK) * TWO_32 + lo;
      this.count[b]!++;
    }
    for (let b = 0; b < BUCKETS; b++) for (let x = b + 1; x <= BUCKETS; x += x & -x) this.tree[x]! += counts[b]!;
    this.pristineTree.set(this.tree);
    this.size = this.pristineSize = values.length;
  }

  /** Removes the idx-th smallest value (0 ≤ idx < size); it is left in outHi/outLo. */
  deleteAt(idx: number): void {
    const tree = this.tree, keys = this.keys;
    let b = 0, rem = idx;
    for (let step = BUCKETS; step > 0; step >>= 1) {
      const nxt = b + step;
      if (nxt <= BUCKETS && tree[nxt]! <= rem) { b = nxt; rem -= tree[nxt]!; }
    }
    const base = this.start[b]!, c = this.count[b]!;
    const at = base + rem, key = keys[at]!;
    for (let k = at, end = base + c - 1; k < end; k++) keys[k] = keys[k + 1]!;
    this.count[b] = c - 1;
    for (let x = b + 1; x <= BUCKETS; x += x & -x) tree[x]!--;
    this.size--;
    const n = this.logLen++;
    this.logOp[n] = OP_DELETE; this.logBucket[n] = b; this.logPos[n] = rem; this.logKey[n] = key;
    const kh = Math.floor(key / TWO_32);
    this.outHi = ((b << KEY_HI_BITS) | kh) >>> 0;
    this.outLo = (key - kh * TWO_32) >>> 0;
  }

  /** Inserts (hi, lo) unless present. Sets `overflow` (and changes nothing) if its bucket is full. */
  insert(hi: number, lo: number): void {
    const keys = this.keys;
    const b = hi >>> KEY_HI_BITS;
    const key = (hi & KEY_HI_MASK) * TWO_32 + lo;
    const base = this.start[b]!, c = this.count[b]!;
    let l = base, h = base + c;
    while (l < h) { const m = (l + h) >>> 1; if (keys[m]! < key) l = m + 1; else h = m; }
    if (l < base + c && keys[l] === key) return;
    if (c === this.cap[b]) { this.overflow = true; return; }
    for (let k = base + c; k > l; k--) keys[k] = keys[k - 1]!;
    keys[l] = key;
    this.count[b] = c + 1;
    for (let x = b + 1; x <= BUCKETS; x += x & -x) this.tree[x]!++;
    this.size++;
    const n = this.logLen++;
    this.logOp[n] = OP_INSERT; this.logBucket[n] = b; this.logPos[n] = l - base;
  }

  /** Restores the pristine set by replaying the log backwards. */
  undo(): void {
    const keys = this.keys, count = this.count;
    for (let i = this.logLen - 1; i >= 0; i--) {
      const b = this.logBucket[i]!, base = this.start[b]!, c = count[b]!, at = base + this.logPos[i]!;
      if (this.logOp[i] === OP_INSERT) {
        for (let k = at, end = base + c - 1; k < end; k++) keys[k] = keys[k + 1]!;
        count[b] = c - 1;
      } else {
        for (let k = base + c; k > at; k--) keys[k] = keys[k - 1]!;
        keys[at] = this.logKey[i]!;
        count[b] = c + 1;
      }
    }
    this.tree.set(this.pristineTree);
    this.size = this.pristineSize;
    this.logLen = 0;
    this.overflow = false;
  }
}
