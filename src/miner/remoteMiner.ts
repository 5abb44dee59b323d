/**
 * The external miner (`shardminer miner`): polls getWork for each target chain about every
 * second (and right after each submit) in one JSON-RPC batch, searches nonces with the fast
 * kernels in a Piscina pool of `threads` threads (the sealer worker's `sealSlice` task, in short
 * slices so new work is picked up quickly), and submits hits with submitWork. A node that goes
 * away is retried with exponential backoff; its work is dropped meanwhile.
 */
import { Piscina } from 'piscina';
import { fromHex, toHex, toQuantity, ZERO32, type Bytes } from '../core/bytes.js';
import { ChainError } from '../core/errors.js';
import { sealTarget } from '../consensus/target.js';
import { SEALER_WORKER_URL, type SealSliceResult, type SealSliceTask } from '../pow/sealerPool.js';
import { randomStartNonce, simulatedDelayMs } from '../pow/sealSchedule.js';
import { selectKernel } from '../pow/select.js';
import type { KernelChoice } from '../pow/types.js';
import type { Outcome, RpcClient } from '../rpc/client.js';
import { speedReport, type MinerReport } from './minerReport.js';
import { SpeedMeter } from './speed.js';
import type { Target } from './targets.js';

/** Defaults: poll about every second (DESIGN §11), 100 ms slices, a speed line every 10 s. */
export const DEFAULT_POLL_MS = 1000;
export const DEFAULT_SLICE_MS = 100;
export const DEFAULT_SPEED_EVERY_MS = 10_000;
/** Backoff while the node is unreachable: doubles from the first to the last value. */
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 10_000;
/** A lane with no work to do looks again after this long. */
const IDLE_MS = 50;
const SAMPLE_MS = 1000;

export interface MinerOptions {
  readonly client: RpcClient;
  readonly targets: readonly Target[];
  readonly threads: number;
  readonly kernel: KernelChoice;
  /** Each submitted block and, every `speedEveryMs`, the speed (stdout, as text or NDJSON). */
  readonly report: (r: MinerReport) => void;
  /** The 20-byte recipient sent with getWork; null: the node's own coinbase. */
  readonly coinbase?: Bytes | null;
  /** connection state and errors (stderr). */
  readonly log: (line: string) => void;
  readonly pollMs?: number;
  readonly sliceMs?: number;
  readonly speedEveryMs?: number;
}

interface Job {
  readonly sealHashHex: string;
  readonly sealHash: Bytes;
  readonly height: number;
  readonly target: bigint;
  /** Next nonce of each lane (random starts: lanes never overlap in practice). */
  readonly lanes: bigint[];
  /** `simulate` chains: when the block counts as found. */
  readonly dueMs: number;
  done: boolean;
}

interface Slot {
  readonly t: Target;
  job: Job | null;
  accepted: number;
  rejected: number;
  lastError: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const nowSec = (): number => Math.floor(Date.now() / 1000);

/** `[sealHash, height, difficulty]` (goquarkchain pads the numbers to 32 bytes: parsed as integers). */
function parseWork(v: unknown): { sealHashHex: string; sealHash: Bytes; height: number; difficulty: bigint } | null {
  if (!Array.isArray(v) || v.length < 3 || typeof v[0] !== 'string' || typeof v[1] !== 'string' || typeof v[2] !== 'string') return null;
  try {
    const sealHash = fromHex(v[0], 32);
    const difficulty = BigInt(v[2]);
    return difficulty >= 1n ? { sealHashHex: v[0].toLowerCase(), sealHash, height: Number(BigInt(v[1])), difficulty } : null;
  } catch {
    return null;
  }
}

export class RemoteMiner {
  private readonly pool: Piscina;
  private readonly slots: Slot[];
  private readonly meter = new SpeedMeter();
  private running = false;
  private hashes = 0;
  private rr = 0;
  private reachable: boolean | null = null;
  private backoffMs = BACKOFF_FIRST_MS;
  private wakePoller: () => void = () => undefined;
  /** A submit asked for fresh work while the poller was busy: poll again at once. */
  private wakeAsked = false;
  private readonly pollMs: number;
  private readonly sliceMs: number;

  constructor(private readonly o: MinerOptions) {
    this.pollMs = o.pollMs ?? DEFAULT_POLL_MS;
    this.sliceMs = o.sliceMs ?? DEFAULT_SLICE_MS;
    this.slots = o.targets.map((t) => ({ t, job: null, accepted: 0, rejected: 0, lastError: '' }));
    // Loads each kernel here once, so a forced kernel that cannot load fails before any thread starts.
    for (const algo of new Set(o.targets.map((t) => t.algo))) {
      if (algo !== 'simulate') selectKernel(algo, o.kernel, (l) => o.log(`miner: ${l}`));
    }
    this.pool = new Piscina({ filename: SEALER_WORKER_URL, minThreads: o.threads, maxThreads: o.threads, idleTimeout: Number.POSITIVE_INFINITY });
  }

  get shares(): { accepted: number; rejected: number } { return { accepted: this.accepted, rejected: this.rejected }; }
  get accepted(): number { return this.slots.reduce((a, s) => a + s.accepted, 0); }
  get rejected(): number { return this.slots.reduce((a, s) => a + s.rejected, 0); }

  /** Mines until `stop()`; resolves once every slice has returned and the threads are gone. */
  async run(): Promise<void> {
    this.running = true;
    const t0 = Date.now();
    const sampler = setInterval(() => this.meter.sample((Date.now() - t0) / 1000, this.hashes), SAMPLE_MS);
    const speed = setInterval(() => this.o.report(speedReport(this.meter, this.shares)), this.o.speedEveryMs ?? DEFAULT_SPEED_EVERY_MS);
    try {
      await Promise.all([this.pollLoop(), ...Array.from({ length: this.o.threads }, (_, i) => this.lane(i))]);
    } finally {
      clearInterval(sampler);
      clearInterval(speed);
      await this.pool.destroy();
    }
  }

  stop(): void {
    this.running = false;
    this.wakePoller();
  }

  private async pollLoop(): Promise<void> {
    while (this.running) {
      let delay = this.pollMs;
      try {
        this.wakeAsked = false;
        const outs = await this.o.client.batch(this.slots.map((s) => ({ method: 'getWork', params: this.workParams(s) })));
        outs.forEach((out, i) => this.update(this.slots[i]!, out));
        if (this.reachable !== true) this.o.log(`miner: getting work from ${this.o.client.url} for ${this.slots.map((s) => s.t.label).join(', ')}`);
        this.reachable = true;
        this.backoffMs = BACKOFF_FIRST_MS;
      } catch (e) {
        for (const s of this.slots) s.job = null;
        if (this.reachable !== false) this.o.log(`miner: node unreachable (${ChainError.from(e).message}); retrying with backoff up to ${BACKOFF_MAX_MS / 1000}s`);
        this.reachable = false;
        delay = this.backoffMs;
        this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
      }
      delay = Math.min(delay, this.submitSimulated());
      if (this.wakeAsked) { this.wakeAsked = false; delay = 0; }
      if (this.running) await new Promise<void>((r) => { const t = setTimeout(r, delay); this.wakePoller = () => { clearTimeout(t); r(); }; });
    }
  }

  /** getWork's params: the key (null for the root) and, with --coinbase, the recipient. */
  private workParams(s: Slot): (string | null)[] {
    const key = s.t.key === null ? null : toQuantity(s.t.key);
    return this.o.coinbase ? [key, toHex(this.o.coinbase)] : [key];
  }

  private update(s: Slot, out: Outcome): void {
    const w = out.ok ? parseWork(out.result) : null;
    if (!out.ok && out.error.message !== s.lastError) this.o.log(`miner: getWork ${s.t.label}: ${out.error.message}`);
    s.lastError = out.ok ? '' : out.error.message;
    if (!w) { s.job = null; return; }
    if (s.job && s.job.sealHashHex === w.sealHashHex) return;
    const delayMs = simulatedDelayMs(s.t.targetBlockTime);
    s.job = {
      ...w, target: s.t.algo === 'simulate' ? 0n : sealTarget(s.t.algo, w.difficulty),
      lanes: Array.from({ length: this.o.threads }, () => randomStartNonce()), dueMs: Date.now() + delayMs, done: false,
    };
  }

  /** `simulate` chains need no hashing: a block is "found" after an exponential delay. Returns ms to the next due. */
  private submitSimulated(): number {
    let next = Number.POSITIVE_INFINITY;
    for (const s of this.slots) {
      const j = s.job;
      if (s.t.algo !== 'simulate' || !j || j.done) continue;
      if (Date.now() >= j.dueMs) { j.done = true; void this.submit(s, j, 0n, ZERO32); } else next = Math.min(next, j.dueMs - Date.now());
    }
    return next;
  }

  private pick(): Slot | null {
    for (let k = 0; k < this.slots.length; k++) {
      const s = this.slots[(this.rr + k) % this.slots.length]!;
      if (s.job && !s.job.done && s.t.algo !== 'simulate') { this.rr = (this.rr + k + 1) % this.slots.length; return s; }
    }
    return null;
  }

  private async lane(i: number): Promise<void> {
    while (this.running) {
      const s = this.pick();
      const job = s?.job;
      if (!s || !job || s.t.algo === 'simulate') { await sleep(IDLE_MS); continue; }
      const task: SealSliceTask = { algo: s.t.algo, kernel: this.o.kernel, sealHash: job.sealHash, target: job.target, startNonce: job.lanes[i]!, height: job.height, maxMs: this.sliceMs };
      let r: SealSliceResult;
      try {
        r = (await this.pool.run(task, { name: 'sealSlice' })) as SealSliceResult;
      } catch (e) {
        this.o.log(`miner: sealing failed: ${ChainError.from(e).message}`);
        await sleep(BACKOFF_FIRST_MS);
        continue;
      }
      this.hashes += r.hashes;
      job.lanes[i] = r.nextNonce;
      if (r.found && !job.done) {
        job.done = true;
        void this.submit(s, job, r.found.nonce, r.found.mixhash);
      }
    }
  }

  private async submit(s: Slot, job: Job, nonce: bigint, mixhash: Bytes): Promise<void> {
    let ok = false;
    try {
      ok = (await this.o.client.call('submitWork', [s.t.key === null ? null : toQuantity(s.t.key), job.sealHashHex, toQuantity(nonce), toHex(mixhash)])) === true;
    } catch (e) {
      this.o.log(`miner: submitWork ${s.t.label}: ${ChainError.from(e).message}`);
    }
    if (ok) s.accepted++; else s.rejected++;
    this.o.report({
      type: 'share', time: nowSec(), chain: s.t.name, height: job.height, accepted: ok,
      chainShares: { accepted: s.accepted, rejected: s.rejected }, shares: this.shares,
    });
    this.wakeAsked = true;
    this.wakePoller();
  }
}
