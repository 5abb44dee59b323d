/**
 * The common ancestor of our chain and the peer's tip (reference/sync.md §1.2 step 2, the
 * n-ary search of pyquarkchain and goquarkchain). Fast path: the tip's parent is a block we
 * have. Otherwise heights [max(ourTip − maxStale, 0), min(ourTip, tip − 1)] are sampled, evenly
 * spaced up to the end, in one GET_ROOT_HEADERS (origin by height, skip = span − 1, toward the tip); scanning
 * the samples from the highest, an unknown one lowers the end below it, and the first known one
 * is the ancestor if it sits at the end, else the range continues above it. Every response must
 * carry exactly the samples up to the end (or the peer's tip), at exactly the sampled heights.
 * Each step shrinks the range, and there are at most `maxSearchSteps` of them.
 */
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import { peerFault, syncFault } from '../peerFault.js';
import { observeRemoteTip, requestHeaders, type SyncContext } from './syncContext.js';
import { stopFault } from './syncOutcome.js';

/** Headers the peer must return for samples from `start` every `span` up to `top` (≤ `limit`). */
function samplesUpTo(start: number, top: number, span: number, limit: number): number {
  return top < start ? 0 : Math.min(limit, Math.floor((top - start) / span) + 1);
}

function checkSamples(headers: readonly RootHeader[], start: number, span: number, want: number): void {
  if (headers.length < want) throw stopFault(syncFault('P2P_SHORT_RESPONSE', `ancestor search: ${headers.length} headers, ${want} expected`));
  if (headers.length > want) throw stopFault(peerFault('P2P_TOO_MANY_ITEMS', true, 'BAD_RESPONSE', `ancestor search: ${headers.length} headers, ${want} expected`));
  headers.forEach((h, i) => {
    if (h.height !== start + i * span) {
      throw stopFault(syncFault('P2P_HEADERS_NOT_CONTIGUOUS', `ancestor search: sample ${i} at height ${h.height}, ${start + i * span} expected`));
    }
  });
}

/** Our newest block on the peer's chain; throws a SyncStop (P2P_NO_COMMON_ANCESTOR, a response fault, a timeout). */
export async function findAncestor(ctx: SyncContext): Promise<RootHeader> {
  const { target, opts } = ctx;
  const parent = target.rootHeader(ctx.tip.hashPrevBlock);
  if (parent) return parent;
  const ours = target.rootTip();
  // Our only block is genesis, which every peer that passed HELLO shares: no search (a round trip saved).
  const genesis = ours.height === 0 ? target.rootHeader(ours.hash) : undefined;
  if (genesis) return genesis;
  const floor = Math.max(ours.height - opts.maxStale, 0);
  let start = floor;
  let end = Math.min(ours.height, ctx.tip.height - 1);
  let best: RootHeader | undefined;
  for (let step = 0; start <= end; step++) {
    if (step >= opts.maxSearchSteps) break;
    const span = Math.floor((end - start) / opts.searchSamples) + 1;
    const limit = samplesUpTo(start, end, span, opts.searchSamples);
    ctx.stats.lookups++;
    const reply = await requestHeaders(ctx, 'ancestor search', { origin: { kind: 'height', height: start }, limit, skip: span - 1, direction: 'toTip' });
    observeRemoteTip(ctx, reply.rootTip);
    end = Math.min(end, ctx.tip.height - 1);
    if (start > end) break;
    checkSamples(reply.headers, start, span, samplesUpTo(start, Math.min(end, reply.rootTip.height), span, limit));
    for (let i = reply.headers.length - 1; i >= 0; i--) {
      const h = reply.headers[i]!;
      if (!target.hasRootBlock(rootHeaderHash(h))) {
        end = h.height - 1;
        continue;
      }
      if (h.height === end) return h;
      start = h.height + 1;
      best = h;
      break;
    }
  }
  if (best) return best;
  // The range held genesis, which every peer that passed HELLO shares: the samples were lies.
  throw stopFault(syncFault('P2P_NO_COMMON_ANCESTOR', `no common block between heights ${floor} and ${Math.min(ours.height, ctx.tip.height - 1)}`, floor === 0));
}
