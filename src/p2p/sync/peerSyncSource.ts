/**
 * A connected Peer as a SyncSource. The Peer already reports its transport faults (timeouts, unrequested or mismatched
 * responses) to its handler and disconnects on fatal ones, so `reportsTransportFaults` is true.
 */
import { equalBytes, type Bytes } from '../../core/bytes.js';
import { invalid } from '../../core/errors.js';
import type { MinorBlock } from '../../core/minorBlock.js';
import { rootHeaderHash, type RootBlock, type RootHeader } from '../../core/rootBlock.js';
import type { HeaderQuery, ResponseMessage } from '../messageTypes.js';
import type { Peer } from '../peer.js';
import { replyFromHeadStart, sameQuery, type HeadStart } from './headStart.js';
import type { RootBlocksReply, RootHeadersReply, ShardHeadersReply, SyncSource } from './syncSource.js';

/** The Peer methods sync uses (a Peer, or a test double). */
export type SyncPeer = Pick<Peer, 'request' | 'toString'>;

/** The response of the expected type; the RequestTracker already enforces it, this keeps the types honest. */
function expect<T extends ResponseMessage['type']>(r: ResponseMessage, type: T): Extract<ResponseMessage, { type: T }> {
  if (r.type !== type) throw invalid('P2P_RESPONSE_MISMATCH', `${r.type} answers a request for ${type}`);
  return r as Extract<ResponseMessage, { type: T }>;
}

export class PeerSyncSource implements SyncSource {
  readonly reportsTransportFaults = true;
  readonly id: string;

  /** The head start sent behind our HELLO (headStart.ts) and the tip the peer's HELLO announced, until the query it answers. */
  private headStart: { readonly start: HeadStart; readonly helloTip: RootHeader } | undefined;

  constructor(private readonly peer: SyncPeer, headStart?: { readonly start: HeadStart; readonly helloTip: RootHeader }) {
    this.id = peer.toString();
    this.headStart = headStart;
  }

  async getRootHeaders(q: HeaderQuery): Promise<RootHeadersReply> {
    const early = this.headStart;
    if (early && sameQuery(early.start, q)) {
      this.headStart = undefined; // used once, or found stale
      const ready = await replyFromHeadStart(early.start, q, early.helloTip);
      if (ready) return ready;
    }
    const r = expect(await this.peer.request({ type: 'GET_ROOT_HEADERS', ...q }), 'ROOT_HEADERS');
    // The peer's tip moved since its HELLO (a reorganisation, say): the head start's headers may be of a chain left behind.
    if (this.headStart && !equalBytes(rootHeaderHash(r.rootTip), rootHeaderHash(this.headStart.helloTip))) this.headStart = undefined;
    return { rootTip: r.rootTip, headers: r.headers };
  }

  async getRootBlocks(hashes: readonly Bytes[]): Promise<readonly RootBlock[]> {
    return expect(await this.peer.request({ type: 'GET_ROOT_BLOCKS', hashes }), 'ROOT_BLOCKS').blocks;
  }

  async getRootBundle(hashes: readonly Bytes[], shardBytes: number | undefined): Promise<RootBlocksReply> {
    const r = expect(await this.peer.request(shardBytes === undefined ? { type: 'GET_ROOT_BLOCKS', hashes } : { type: 'GET_ROOT_BLOCKS', hashes, shardBytes }), 'ROOT_BLOCKS');
    return { blocks: r.blocks, shardBlocks: r.shardBlocks };
  }

  async getMinorBlocks(shard: number, hashes: readonly Bytes[]): Promise<readonly MinorBlock[]> {
    return expect(await this.peer.request({ type: 'GET_SHARD_BLOCKS', shardId: shard, hashes }), 'SHARD_BLOCKS').blocks;
  }

  async getShardHeaders(shard: number, q: HeaderQuery): Promise<ShardHeadersReply> {
    const r = expect(await this.peer.request({ type: 'GET_SHARD_HEADERS', shardId: shard, ...q }), 'SHARD_HEADERS');
    return { rootTip: r.rootTip, shardTip: r.shardTip, headers: r.headers };
  }
}
