/**
 * The abuse harness (issue "hostile load" item 4): RPC and P2P abuse against one node, given by
 * its URLs or started here (mining, RPC and P2P on ephemeral 127.0.0.1 ports), checking what was
 * refused and that the node kept mining. One line; `ok=no` names the failed checks on stderr.
 */
import { defaultConfig, type Config } from '../../src/core/config.js';
import { startNode, type ShardminerNode } from '../../src/node.js';
import { DEFAULT_BUDGET, maxServedBytes } from '../../src/p2p/peerBudget.js';
import { ACCOUNT_QUEUE } from '../../src/shard/poolLimits.js';
import { RpcClient } from '../../src/rpc/client.js';
import { connectionStorm, pingBurst, probe, requestFlood } from './hostilePeer.js';
import { chainHeights, futureNonceSpam, malformedBatch, slowClient } from './rpcAbuse.js';

/** Slow HTTP clients held open while a real request is made: more than the 256 connections that once ran out. */
const SLOW_CLIENTS = 300;
/** Future-nonce transfers: twice the per-account queue just past a gap, and some past the nonce cap. */
const QUEUED_SPAM = 2 * ACCOUNT_QUEUE;
const TOO_FAR_SPAM = 32;
/** Connections at once: far over a default node's pending cap (2 × 16 peers). */
const STORM = 200;
const PING_BURST = 1_000;
/** How long each flood runs: the bytes flood long enough to spend a peer's byte burst, both several blocks of a 1 s chain. */
const BYTES_FLOOD_MS = 4_000;
const REQUEST_FLOOD_MS = 2_000;
/** The self-started node's block times (s): whole-second timestamps allow no faster. */
const BLOCK_SEC = 1;
/**
 * Its shards and root block time (s): a root block then lists ~16 shard headers, ~4 KB, so the
 * biggest answer (100 root blocks) is ~400 KB, and a peer paced under the request budget (half
 * of it markers) asks for more than the byte budget: 90 × 400 KB a second against 8 MiB.
 */
const SHARDS = 8;
const ROOT_BLOCK_SEC = 2;
/** Root blocks the own node mines before the abuse starts: the first ones list few or no shard headers. */
const WARM_UP_ROOT_BLOCKS = 3;

export interface AbuseResult {
  readonly ok: boolean;
  readonly line: string;
  readonly failures: readonly string[];
}

/** The default configuration with simulated sealing and 1 s blocks (shards, and the root unless told): a chain that visibly moves within seconds. */
export function oneSecondConfig(rootSec = BLOCK_SEC, shards?: number): Config {
  const base = defaultConfig({ algo: 'simulate', ...(shards === undefined ? {} : { shards }) });
  return {
    ...base,
    root: { ...base.root, targetBlockTime: rootSec },
    chains: base.chains.map((c) => ({ ...c, consensus: { ...c.consensus, targetBlockTime: BLOCK_SEC } })),
  };
}

/** A mining node of our own: simulated sealing, RPC and P2P on free 127.0.0.1 ports. */
async function ownNode(cfg: Config): Promise<ShardminerNode> {
  const log = (): void => undefined;
  const node = await startNode({
    coordinator: { config: cfg, datadir: null, log },
    p2p: { host: '127.0.0.1', port: 0 },
    rpc: { host: '127.0.0.1', port: 0, privatePort: null, exposePrivate: false, remote: false, txRate: 0, log },
    log,
  });
  await node.coordinator.setMining(true);
  while (node.coordinator.root.tip.height < WARM_UP_ROOT_BLOCKS) await new Promise((r) => setTimeout(r, 100));
  return node;
}

const yes = (b: boolean): string => (b ? 'yes' : 'no');
const grew = (a: { root: number; shards: number }, b: { root: number; shards: number }): number => (b.root - a.root) + (b.shards - a.shards);

/** Runs every abuse against `urls` (or a node started here) and checks the outcome. */
export async function runAbuse(urls?: { readonly rpc: string; readonly p2p: string }): Promise<AbuseResult> {
  let node: ShardminerNode | null = null;
  let cfg = oneSecondConfig(ROOT_BLOCK_SEC, SHARDS);
  if (urls) cfg = { ...defaultConfig(), networkId: Number((await new RpcClient(urls.rpc).call('networkInfo', []) as { networkId: string }).networkId) };
  else node = await ownNode(cfg);
  const rpc = urls?.rpc ?? node!.rpc!.pub.url;
  const p2p = urls?.p2p ?? node!.p2p!.url;
  const failures: string[] = [];
  const check = (ok: boolean, what: string): void => { if (!ok) failures.push(what); };
  try {
    const h0 = await chainHeights(rpc);

    const slow = await Promise.all(Array.from({ length: SLOW_CLIENTS }, () => slowClient(rpc)));
    const real = await fetch(rpc, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"networkInfo","params":[]}' })
      .then(async (r) => r.status === 200 && (await r.text()).includes('"networkId"'), () => false);
    for (const s of slow) s.socket.destroy();
    check(real, `a real request failed beside ${SLOW_CLIENTS} slow clients`);

    const spam = await futureNonceSpam(rpc, cfg, QUEUED_SPAM, TOO_FAR_SPAM);
    check(spam.other.length === 0, `future-nonce spam got other answers: ${spam.other.slice(0, 3).join(', ')}`);
    check(spam.accepted <= ACCOUNT_QUEUE && spam.refused >= spam.sent - ACCOUNT_QUEUE, `future-nonce spam: ${spam.accepted} accepted, over the ${ACCOUNT_QUEUE} queued per account`);

    const bad = await malformedBatch(rpc);
    check(bad.errors === bad.calls && bad.parseError, `malformed batch: ${bad.errors}/${bad.calls} errors, parse error ${yes(bad.parseError)}`);

    const storm = await connectionStorm(p2p, STORM);
    check(storm.unanswered === 0 && storm.refused > 0, `storm: ${storm.unanswered} connections got neither a HELLO nor a DISCONNECT`);
    check(storm.refusedClosedWithin1s === storm.refused, `storm: a refused connection lived ${storm.slowestCloseMs} ms`);

    const pings = await pingBurst(p2p, PING_BURST);
    check(pings.answered < PING_BURST, `all ${PING_BURST} PINGs were answered`);

    const beforeFlood = await chainHeights(rpc);
    const bytes = await requestFlood(p2p, BYTES_FLOOD_MS, 'bytes');
    const flood = await requestFlood(p2p, REQUEST_FLOOD_MS, 'requests');
    const afterFlood = await chainHeights(rpc);
    const bound = maxServedBytes(DEFAULT_BUDGET, bytes.maxSessionSec);
    // A young chain's answers may be too small for a flood under the request rate to get past the byte burst: then there is nothing to refuse.
    const reached = bytes.maxSessionBytes >= DEFAULT_BUDGET.bytesBurst;
    check(flood.refused > 0 && (!reached || bytes.refused > 0), `the floods got every request answered (bytes ${bytes.refused}, requests ${flood.refused} refused)`);
    check(bytes.maxSessionBytes <= bound, `one peer was sent ${bytes.maxSessionBytes} bytes in ${bytes.maxSessionSec.toFixed(1)} s, over the ${bound}-byte budget`);
    check(grew(beforeFlood, afterFlood) > 0, 'no block was mined during the floods');
    const flooders = reached ? [bytes.firstId, flood.firstId, pings.nodeId] : [flood.firstId, pings.nodeId];
    const probes = await Promise.all(flooders.map((id) => probe(p2p, id)));
    const banned = probes.every((x) => x === 'BANNED');
    check((!reached || bytes.disconnects.length > 0) && flood.disconnects.length > 0 && pings.disconnect !== undefined && banned, `a flooding peer was not dropped and banned (${probes.join(', ')})`);

    const h1 = await chainHeights(rpc);
    check(grew(h0, h1) > 0, 'the node mined nothing during the abuse');
    const line = `abuse slowClients=${SLOW_CLIENTS} realRequestOk=${yes(real)} futureNonceRefused=${spam.refused}/${spam.sent} `
      + `malformedErrors=${bad.errors}/${bad.calls} stormRefused=${storm.refused}/${storm.connections} stormClosedWithin1s=${yes(storm.refusedClosedWithin1s === storm.refused)} `
      + `floodRefused=${flood.refused}/${flood.sent} pingsAnswered=${pings.answered}/${PING_BURST} bytesFloodRefused=${bytes.refused}/${bytes.sent} `
      + `bytesServedMB=${(bytes.bytes / 1e6).toFixed(1)} peerMaxMB=${(bytes.maxSessionBytes / 1e6).toFixed(1)} byteBudgetReached=${yes(reached)} floodSessions=${bytes.sessions}+${flood.sessions} peerBanned=${yes(banned)} `
      + `minedDuring=root+${h1.root - h0.root},shards+${h1.shards - h0.shards} minedDuringFlood=root+${afterFlood.root - beforeFlood.root},shards+${afterFlood.shards - beforeFlood.shards} ok=${yes(failures.length === 0)}`;
    return { ok: failures.length === 0, line, failures };
  } finally {
    await node?.stop();
  }
}
