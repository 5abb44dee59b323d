/**
 * The cross-shard transport over this worker's rings (channel/xshardChannel.ts). `send` calls
 * every destination's `XshardSender.send` synchronously, which fixes the per-ring sequence
 * numbers in call order, then waits until the lists are written into the rings. That wait is
 * the one thing that can hold the shard's serialised section for long: it lasts only while a
 * ring is full (plus the sender's bounded queue), i.e. while a destination has stopped reading
 * more than a ring's worth of lists. It is kept on purpose: it is the backpressure that bounds
 * the memory a source holds for a stopped destination (DESIGN §7.5). Acks are awaited outside.
 */
import type { Bytes } from '../core/bytes.js';
import { encodeDepositList, type Deposit } from '../core/deposit.js';
import type { XshardEndpoint } from '../channel/xshardChannel.js';
import type { Delivery, XshardTransport } from './xshardTransport.js';

export function ringTransport(endpoint: XshardEndpoint, shardIds: readonly number[]): XshardTransport {
  const indexOf = new Map(shardIds.map((id, i) => [id, i] as const));
  return {
    async send(hash: Bytes, lists: ReadonlyMap<number, readonly Deposit[]>): Promise<Delivery> {
      const written = [...lists].map(([dest, list]) => {
        const sender = endpoint.sender(indexOf.get(dest)!);
        return sender.send({ sourceHash: hash, payload: encodeDepositList(list) }).then((seq) => ({ sender, seq }));
      });
      const sent = await Promise.all(written);
      return { acked: Promise.all(sent.map(({ sender, seq }) => sender.waitAcked(seq))).then(() => undefined) };
    },
  };
}
