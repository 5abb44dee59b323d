/** The batch state machine (batchState.ts) and the pure body scheduler (bodyScheduler.ts), without sockets or chains. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError } from '../../../../src/core/errors.js';
import { peerFault } from '../../../../src/p2p/peerFault.js';
import {
  downloaded, downloadDeferred, downloadDropped, downloadFailed, newBatch, processed, processFailed, startDownload, startProcessing, type BatchStatus,
} from '../../../../src/p2p/sync/batchState.js';
import { BodyScheduler, CARRIED, type SchedulerOptions, type SchedulerPeer } from '../../../../src/p2p/sync/bodyScheduler.js';

const timeout = peerFault('P2P_TIMEOUT', false, 'TIMEOUT', 'slow');
const OPTS: SchedulerOptions = { batchSize: 2, maxInFlightPerPeer: 2, maxAhead: 4, maxAttempts: 3 };
const peer = (id: string, upTo = Infinity): SchedulerPeer<number> => ({ id, canServe: (items) => items[items.length - 1]! <= upTo });
const items = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);
const isInternal = (e: unknown): boolean => e instanceof ChainError && e.cls === 'internal';

test('batch: the happy path awaitingDownload → downloading → awaitingProcessing → processing → done', () => {
  const b = newBatch<number, string>(0, [1, 2]);
  const seen: BatchStatus[] = [b.status];
  startDownload(b, 'p1');
  seen.push(b.status);
  assert.equal(b.peer, 'p1');
  downloaded(b, 'blocks');
  seen.push(b.status);
  startProcessing(b);
  seen.push(b.status);
  processed(b);
  seen.push(b.status);
  assert.deepEqual(seen, ['awaitingDownload', 'downloading', 'awaitingProcessing', 'processing', 'done']);
  assert.equal(b.result, undefined, 'a done batch holds no blocks');
});

test('batch: a failed download goes back to awaitingDownload without its peer, and fails for good after maxAttempts', () => {
  const b = newBatch<number, string>(0, [1]);
  startDownload(b, 'p1');
  downloadFailed(b, timeout, 2);
  assert.deepEqual([b.status, b.attempts, [...b.failedPeers], b.peer], ['awaitingDownload', 1, ['p1'], undefined]);
  startDownload(b, 'p2');
  downloadFailed(b, timeout, 2);
  assert.deepEqual([b.status, b.attempts, b.lastFault?.fault], ['failed', 2, 'P2P_TIMEOUT']);
});

test('batch: a dropped download (peer gone) is retried without counting an attempt', () => {
  const b = newBatch<number, string>(0, [1]);
  startDownload(b, 'p1');
  downloadDropped(b);
  assert.deepEqual([b.status, b.attempts, [...b.failedPeers]], ['awaitingDownload', 0, ['p1']]);
});

test('batch: a deferred download (our own request cap) is retried without an attempt and the peer stays eligible', () => {
  const b = newBatch<number, string>(0, [1]);
  startDownload(b, 'p1');
  downloadDeferred(b);
  assert.deepEqual([b.status, b.attempts, [...b.failedPeers], b.peer], ['awaitingDownload', 0, [], undefined]);
  assert.throws(() => downloadDeferred(b), isInternal, 'only a download in progress can be deferred');
  const s = new BodyScheduler<number, string>([1, 2], OPTS);
  const [x] = s.assign([peer('a')]);
  s.onDownloadDeferred(x!);
  assert.deepEqual(s.assign([peer('a')]).map((y) => [y.index, y.peer]), [[0, 'a']], 'the same peer may take it again');
});

test('batch: processing that fails ends in failed', () => {
  const b = newBatch<number, string>(0, [1]);
  startDownload(b, 'p1');
  downloaded(b, 'x');
  startProcessing(b);
  processFailed(b);
  assert.equal(b.status, 'failed');
});

test('batch: every illegal move throws internal and changes nothing', () => {
  const b = newBatch<number, string>(0, [1]);
  assert.throws(() => downloaded(b, 'x'), isInternal);
  assert.throws(() => startProcessing(b), isInternal);
  assert.throws(() => processed(b), isInternal);
  assert.throws(() => downloadFailed(b, timeout, 3), isInternal);
  assert.equal(b.status, 'awaitingDownload');
  startDownload(b, 'p1');
  assert.throws(() => startDownload(b, 'p2'), isInternal);
  assert.throws(() => startProcessing(b), isInternal);
  assert.equal(b.peer, 'p1');
});


test('scheduler: cuts the items into batches and spreads them over every peer, several in flight per peer', () => {
  const s = new BodyScheduler<number, string>(items(20), OPTS);
  assert.equal(s.batches.length, 10);
  const started = s.assign([peer('a'), peer('b')]);
  assert.deepEqual(started.map((b) => [b.index, b.peer]), [[0, 'a'], [1, 'b'], [2, 'a'], [3, 'b']]);
  assert.equal(s.inFlight('a'), 2);
  assert.deepEqual(s.assign([peer('a'), peer('b')]), [], 'both peers at their cap and the window full');
});

test('scheduler: never more than maxAhead batches past the oldest unfinished one (bounded memory)', () => {
  const s = new BodyScheduler<number, string>(items(20), { ...OPTS, maxInFlightPerPeer: 10 });
  const started = s.assign([peer('a')]);
  assert.deepEqual(started.map((b) => b.index), [0, 1, 2, 3]);
  for (const b of started.slice(1)) s.onDownloaded(b, 'x');
  assert.deepEqual(s.assign([peer('a')]), [], 'batches 1-3 done downloading, but batch 0 holds the window');
  assert.equal(s.takeNext(), undefined, 'batch 1 is not applied before batch 0');
  s.onDownloaded(started[0]!, 'x');
  const b0 = s.takeNext()!;
  assert.equal(b0.index, 0);
  s.onProcessed(b0);
  assert.deepEqual(s.assign([peer('a')]).map((b) => b.index), [4]);
});

test('scheduler: results are applied in chain order whatever order they arrive in', () => {
  const s = new BodyScheduler<number, string>(items(6), { ...OPTS, maxInFlightPerPeer: 3 });
  const [b0, b1, b2] = s.assign([peer('a')]);
  const order: number[] = [];
  for (const b of [b2!, b1!, b0!]) {
    s.onDownloaded(b, `r${b.index}`);
    for (let n = s.takeNext(); n; n = s.takeNext()) {
      order.push(n.index);
      s.onProcessed(n);
    }
  }
  assert.deepEqual(order, [0, 1, 2]);
  assert.ok(s.done);
});

test('scheduler: a failed or timed-out batch goes to another peer, not back to the one that failed it', () => {
  const s = new BodyScheduler<number, string>(items(2), OPTS);
  const [b] = s.assign([peer('a'), peer('b')]);
  assert.equal(b!.peer, 'a');
  s.onDownloadFailed(b!, timeout);
  const [again] = s.assign([peer('a'), peer('b')]);
  assert.equal(again?.peer, 'b');
});

test('scheduler: a peer is only asked for blocks up to its tip', () => {
  const s = new BodyScheduler<number, string>(items(8), { ...OPTS, maxInFlightPerPeer: 4 });
  const started = s.assign([peer('short', 4), peer('long')]);
  assert.deepEqual(started.map((b) => [b.index, b.peer]), [[0, 'short'], [1, 'long'], [2, 'long'], [3, 'long']]);
});

test('scheduler: stuck once every peer failed a batch and nothing is in flight; failed after maxAttempts', () => {
  const s = new BodyScheduler<number, string>(items(2), OPTS);
  const [b] = s.assign([peer('a')]);
  assert.equal(s.stuck([peer('a')]), undefined, 'in flight: not stuck');
  s.onDownloadFailed(b!, timeout);
  assert.equal(s.stuck([peer('a')])?.index, 0, 'its only peer failed it');
  assert.equal(s.stuck([peer('a'), peer('b')]), undefined, 'a new peer may take it');
  for (const id of ['b', 'c']) {
    const [x] = s.assign([peer(id)]);
    s.onDownloadFailed(x!, timeout);
  }
  assert.equal(s.failed()?.attempts, 3);
});

test('scheduler: a peer\'s abandoned requests (slow downloads handed elsewhere) count as in flight: no new batch for it', () => {
  const s = new BodyScheduler<number, string>(items(20), { ...OPTS, maxAhead: 10 });
  const started = s.assign([{ ...peer('slow'), abandoned: 2 }, peer('b')]);
  assert.deepEqual(started.map((b) => b.peer), ['b', 'b'], 'slow is at its cap of 2 already');
});

test('scheduler: items arriving in pieces (headers still downloading) are cut into batches as they come; done only after finish', () => {
  const s = new BodyScheduler<number, string>([], OPTS, true);
  assert.equal(s.done, false, 'nothing yet, but more to come');
  s.add([1, 2, 3]);
  assert.deepEqual(s.batches.map((b) => b.items), [[1, 2], [3]], 'a piece\'s last batch may be short');
  assert.equal(s.unapplied, 3);
  const started = s.assign([peer('a'), peer('b')]);
  assert.deepEqual(started.map((b) => b.index), [0, 1], 'the first batches download before the next piece is in');
  s.add([4, 5]);
  assert.deepEqual(s.batches.map((b) => b.index), [0, 1, 2]);
  for (const b of started) s.onDownloaded(b, 'x');
  for (let n = s.takeNext(); n; n = s.takeNext()) s.onProcessed(n);
  assert.equal(s.unapplied, 2, 'applied items no longer count');
  assert.equal(s.headBatch?.index, 2, 'the batch the chain-order queue waits on');
  const [last] = s.assign([peer('a')]);
  s.onDownloaded(last!, 'x');
  s.onProcessed(s.takeNext()!);
  assert.equal(s.done, false, 'every batch applied, but not finished');
  s.finish();
  assert.equal(s.done, true);
  assert.throws(() => s.add([6]), isInternal, 'nothing is added after finish');
});

test('scheduler: a stalling peer gets no new batch (but is not counted out: not stuck while it may still answer)', () => {
  const s = new BodyScheduler<number, string>(items(8), OPTS);
  const started = s.assign([{ ...peer('slow'), stalled: true }, peer('b')]);
  assert.deepEqual(started.map((b) => b.peer), ['b', 'b']);
  const only = new BodyScheduler<number, string>(items(2), OPTS);
  assert.deepEqual(only.assign([{ ...peer('slow'), stalled: true }]), []);
  assert.equal(only.stuck([{ ...peer('slow'), stalled: true }]), undefined);
});

test('scheduler: carry marks the batches whose results are at hand downloaded (pseudo-peer CARRIED) within the window, using no peer slot', () => {
  const s = new BodyScheduler<number, string>(items(12), OPTS); // 6 batches of 2, window of 4
  const held = new Set([3, 4, 5, 6, 11, 12]);
  const n = s.carry((xs) => (xs.every((x) => held.has(x)) ? `carried ${xs.join(',')}` : undefined));
  assert.equal(n, 2, 'batches 1 and 2 (items 3-6); batch 5 (items 11-12) is past the window');
  assert.deepEqual(s.batches.map((b) => [b.status, b.peer]), [
    ['awaitingDownload', undefined], ['awaitingProcessing', CARRIED], ['awaitingProcessing', CARRIED], ['awaitingDownload', undefined],
    ['awaitingDownload', undefined], ['awaitingDownload', undefined],
  ]);
  assert.equal(s.inFlight(CARRIED), 0);
  const started = s.assign([peer('p1')]);
  assert.deepEqual(started.map((b) => b.index), [0, 3], 'the peer gets the batches not carried, with both of its slots');
  assert.equal(s.takeNext(), undefined, 'chain order: batch 0 first');
  s.onDownloaded(started[0]!, 'fetched 1,2');
  assert.equal(s.takeNext()?.result, 'fetched 1,2');
});
