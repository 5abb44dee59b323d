/**
 * A shard's committed blocks reach the coordinator by long poll (Piscina has no worker-to-main
 * channel, DESIGN §1): `events(after, wait)` returns what happened since `after`, or nothing
 * after the wait. One loop per shard, until the coordinator stops; errors are logged and retried.
 */
import { ChainError } from '../core/errors.js';
import type { Bytes } from '../core/bytes.js';
import type { BlockEvent, Shard } from '../shard/protocol.js';

/** The long poll's wait: short enough that a stopping node is not held up. */
export const EVENT_POLL_MS = 500;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface ShardEventSink {
  stopped(): boolean;
  /** Each event in order; the next is not taken before this settles. */
  onEvent(ev: BlockEvent): Promise<void>;
  /** Transfers the shard admitted since the last poll (relay on). */
  onTxs?(txs: Bytes[]): void;
  log(line: string): void;
}

export async function pollShardEvents(s: Pick<Shard, 'shardId' | 'events'>, sink: ShardEventSink): Promise<void> {
  let after = 0;
  while (!sink.stopped()) {
    try {
      const r = await s.events(after, EVENT_POLL_MS);
      after = r.next;
      for (const ev of r.events) await sink.onEvent(ev);
      if (r.txs?.length) sink.onTxs?.(r.txs);
    } catch (e) {
      if (sink.stopped()) return;
      sink.log(`coordinator: events of shard 0x${s.shardId.toString(16)}: ${ChainError.from(e).message}`);
      await sleep(EVENT_POLL_MS);
    }
  }
}
