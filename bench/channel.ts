/**
 * Channel benchmark (DESIGN §13): frames/s and MB/s between two real worker threads through
 *   ring      the SharedArrayBuffer ring + doorbells (src/channel), one frame per write, read with
 *             readInto() into one reused buffer (what a consumer that decodes at once does);
 *   ringRead  the same, read with read(): a fresh copy per frame (slab memory, slab.ts);
 *   xshard    the full xshard layer (XshardSender → XshardReceiver with an async onMessage);
 *   copy      MessagePort.postMessage(Uint8Array) (structured clone copies it);
 *   transfer  MessagePort.postMessage(u8, [u8.buffer]) (a fresh buffer per frame, transferred);
 * for 100 B, 4 KB and 64 KB frames. Every frame carries its index, checked by the consumer.
 * Each case runs REPEATS times in fresh workers; the best run counts. Prints one line per size:
 *   channel size=<B> ring=<frames/s>,<MB/s> ringRead=… xshard=… copy=… transfer=… ring/copy=<x> …
 * Run: node dist/bench/channel.js
 */
import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort, Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { Doorbell, createDoorbell } from '../src/channel/doorbell.js';
import { Ring, createRing } from '../src/channel/ring.js';
import { XshardReceiver, XshardSender } from '../src/channel/xshardChannel.js';

type Mode = 'ring' | 'ringRead' | 'xshard' | 'copy' | 'transfer';
const MODES: readonly Mode[] = ['ring', 'ringRead', 'xshard', 'copy', 'transfer'];
const isPort = (m: Mode): boolean => m === 'copy' || m === 'transfer';
/** Frames per run by frame size: the fastest mode still runs ~0.2 s, so start-up and JIT warm-up stay small. */
const FRAMES: ReadonlyMap<number, number> = new Map([[100, 1_000_000], [4096, 200_000], [65536, 12_000]]);
/** Fresh-worker runs per case; the best is reported (first runs pay JIT warm-up). */
const REPEATS = 3;
/** A plausible configured xshard ring size; holds 16 frames of the largest size. */
const RING_BYTES = 1 << 20;
/** The producer rings the consumer's doorbell every 64 frames (and after each burst). */
const BELL_BATCH_MASK = 63;
/** xshard producer awaits every 8th send, so a few messages are always queued. */
const XSHARD_AWAIT_MASK = 7;
const MB = 1e6;

interface Job {
  readonly role: 'producer' | 'consumer';
  readonly mode: Mode;
  readonly size: number;
  readonly frames: number;
  readonly ring?: SharedArrayBuffer;
  readonly producerBell?: SharedArrayBuffer;
  readonly consumerBell?: SharedArrayBuffer;
  readonly port?: MessagePort;
}
type Report = { ready: true } | { start: number } | { end: number; bad: number };

const now = (): number => performance.timeOrigin + performance.now();
const report = (r: Report): void => parentPort!.postMessage(r);
const stamp = (f: Uint8Array, i: number): void => { f[0] = i & 0xff; f[1] = (i >>> 8) & 0xff; f[2] = (i >>> 16) & 0xff; };
const stampOf = (f: Uint8Array): number => f[0]! | (f[1]! << 8) | (f[2]! << 16);
const STAMP_MASK = 0xffffff;

function produce(j: Job): void {
  const frame = new Uint8Array(j.size).fill(7);
  let sent = 0;
  if (isPort(j.mode)) {
    for (; sent < j.frames; sent++) {
      if (j.mode === 'copy') { stamp(frame, sent); j.port!.postMessage(frame); continue; }
      const fresh = new Uint8Array(j.size);
      stamp(fresh, sent);
      j.port!.postMessage(fresh, [fresh.buffer]);
    }
    return;
  }
  const ring = new Ring(j.ring!);
  const own = new Doorbell(j.producerBell!);
  const peer = new Doorbell(j.consumerBell!);
  if (j.mode === 'xshard') {
    const sender = new XshardSender({ ring, peerBell: peer, ownBell: own });
    own.start();
    const hash = new Uint8Array(32);
    void (async (): Promise<void> => {
      let last: Promise<number> = Promise.resolve(0);
      for (; sent < j.frames; sent++) {
        stamp(frame, sent);
        // A copy per message: the sender reads a payload until it is written, and frame changes.
        last = sender.send({ sourceHash: hash, payload: frame.slice() });
        if ((sent & XSHARD_AWAIT_MASK) === XSHARD_AWAIT_MASK) await last;
      }
      await sender.waitAcked(await last);
      own.stop();
    })();
    return;
  }
  own.subscribe(() => {
    while (sent < j.frames) {
      stamp(frame, sent);
      if (!ring.tryWrite(frame)) {
        ring.requestSpaceWake(frame.length);
        if (!ring.tryWrite(frame)) break;
      }
      if ((++sent & BELL_BATCH_MASK) === 0) peer.ring();
    }
    peer.ring();
    if (sent === j.frames) own.stop();
  });
  own.start();
}

function consume(j: Job): void {
  let got = 0;
  let bad = 0;
  const check = (f: Uint8Array): void => {
    if (f.length !== j.size || stampOf(f) !== (got & STAMP_MASK)) bad++;
    if (++got === j.frames) report({ end: now(), bad });
  };
  if (isPort(j.mode)) {
    j.port!.on('message', (f: Uint8Array) => { check(f); if (got === j.frames) j.port!.close(); });
    return;
  }
  const ring = new Ring(j.ring!);
  const own = new Doorbell(j.consumerBell!);
  const peer = new Doorbell(j.producerBell!);
  if (j.mode === 'xshard') {
    const receiver = new XshardReceiver({
      ownBell: own, sources: [{ sourceIndex: 0, ring, peerBell: peer }],
      onMessage: async (_s, msg) => {
        check(msg.payload);
        if (got === j.frames) setImmediate(() => { receiver.close(); own.stop(); });
      },
    });
    own.start();
    return;
  }
  const buf = new Uint8Array(j.size);
  own.subscribe(() => {
    if (j.mode === 'ringRead') {
      for (let f = ring.read(); f !== null; f = ring.read()) {
        check(f);
        if (ring.takeSpaceRequest()) peer.ring();
      }
    } else {
      for (let n = ring.readInto(buf); n >= 0; n = ring.readInto(buf)) {
        check(n === j.size ? buf : buf.subarray(0, n));
        if (ring.takeSpaceRequest()) peer.ring();
      }
    }
    if (got === j.frames) own.stop();
  });
  own.start();
}

function spawn(job: Job, onReport: (r: Report) => void): Worker {
  const w = new Worker(new URL(import.meta.url), { workerData: job, transferList: job.port ? [job.port] : [] });
  w.on('message', onReport);
  w.on('error', (e) => { throw e; });
  return w;
}

/** One run in fresh workers: elapsed seconds from the producer's start to the last frame read. */
async function runOnce(mode: Mode, size: number): Promise<number> {
  const frames = FRAMES.get(size)!;
  const shared = !isPort(mode)
    ? { ring: createRing(RING_BYTES), producerBell: createDoorbell(), consumerBell: createDoorbell() }
    : {};
  const channel = new MessageChannel();
  const base = { mode, size, frames, ...shared };
  let start = 0;
  let ready = 0;
  const done = new Promise<{ end: number; bad: number }>((resolve) => {
    const onReport = (r: Report): void => {
      if ('ready' in r && ++ready === 2) producer.postMessage('go');
      if ('start' in r) start = r.start;
      if ('end' in r) resolve(r);
    };
    spawn({ ...base, role: 'consumer', port: isPort(mode) ? channel.port2 : undefined }, onReport);
    const producer = spawn({ ...base, role: 'producer', port: isPort(mode) ? channel.port1 : undefined }, onReport);
  });
  const { end, bad } = await done;
  if (bad !== 0) throw new Error(`${mode} ${size}: ${bad} frames out of order or damaged`);
  return (end - start) / 1000;
}

function workerMain(j: Job): void {
  if (j.role === 'consumer') {
    consume(j);
    report({ ready: true });
    return;
  }
  parentPort!.once('message', () => { report({ start: now() }); produce(j); });
  report({ ready: true });
}

async function main(): Promise<void> {
  for (const [size, frames] of FRAMES) {
    const fps = new Map<Mode, number>();
    for (const mode of MODES) {
      let best = Infinity;
      for (let r = 0; r < REPEATS; r++) best = Math.min(best, await runOnce(mode, size));
      fps.set(mode, frames / best);
    }
    const cell = (m: Mode): string => `${m}=${Math.round(fps.get(m)!)}fps,${((fps.get(m)! * size) / MB).toFixed(1)}MB/s`;
    const ratio = (m: Mode): string => `ring/${m}=${(fps.get('ring')! / fps.get(m)!).toFixed(1)}x`;
    console.log(`channel size=${size} ringBytes=${RING_BYTES} ${MODES.map(cell).join(' ')} ${ratio('copy')} ${ratio('transfer')}`);
  }
}

if (isMainThread) await main();
else workerMain(workerData as Job);
