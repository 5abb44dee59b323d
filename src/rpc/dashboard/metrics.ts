/**
 * Prometheus metrics (`GET /metrics`, through prom-client). Names follow Prometheus conventions:
 * the `shardminer_` prefix, `_total` on counters, the unit in the name, labels `chain` ("root" or
 * a full shard id such as "0x1"), `shard`, `from`/`to` for a pair of shards, `method`/`code` for
 * RPC. Node.js's default process metrics (`process_*`, `nodejs_*`) keep their usual names, which
 * existing dashboards expect. Gauges and cumulative counters are refreshed from each StatusFeed
 * sample; block and RPC counters move on the events themselves. The README lists every metric.
 */
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { hexId } from '../../core/branch.js';
import type { Coordinator, NodeStatus } from '../../cluster/coordinator.js';
import type { BlockEvent } from '../../shard/protocol.js';
import type { MethodSpec, MethodTable } from '../context.js';
import { toRpcError } from '../errors.js';
import { ROOT, type NodeStatusMessage, type StatusFeed } from './statusFeed.js';

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Every shardminer metric name (the README's list; a unit test checks both agree with the registry). */
export const METRIC_NAMES = [
  'shardminer_chain_height', 'shardminer_last_block_age_seconds', 'shardminer_block_interval_seconds',
  'shardminer_blocks_added_total', 'shardminer_blocks_mined_total', 'shardminer_stale_blocks_total',
  'shardminer_hashes_total', 'shardminer_hashrate_hashes_per_second',
  'shardminer_transfers_confirmed_total', 'shardminer_pool_transactions', 'shardminer_pending_deposits',
  'shardminer_xshard_deposits_sent_total', 'shardminer_xshard_deposits_applied_total',
  'shardminer_xshard_ring_used_bytes', 'shardminer_xshard_ring_capacity_bytes', 'shardminer_xshard_unacked_lists',
  'shardminer_peers', 'shardminer_syncing', 'shardminer_rpc_requests_total',
] as const;

type Name = (typeof METRIC_NAMES)[number];

export class NodeMetrics {
  readonly registry = new Registry();
  private readonly g: Partial<Record<Name, Gauge>> = {};
  private readonly k: Partial<Record<Name, Counter>> = {};
  /** Last value seen of each cumulative figure, so counters move by the difference. */
  private readonly seen = new Map<string, number>();
  private readonly offs: (() => void)[] = [];

  constructor(private readonly c: Coordinator, feed: StatusFeed, o: { defaultMetrics?: boolean } = {}) {
    if (o.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    const gauge = (name: Name, help: string, labelNames: string[] = []): void => {
      this.g[name] = new Gauge({ name, help, labelNames, registers: [this.registry] });
    };
    const counter = (name: Name, help: string, labelNames: string[] = []): void => {
      this.k[name] = new Counter({ name, help, labelNames, registers: [this.registry] });
    };
    gauge('shardminer_chain_height', 'Height of the canonical tip', ['chain']);
    gauge('shardminer_last_block_age_seconds', 'Seconds since the tip block was created', ['chain']);
    gauge('shardminer_block_interval_seconds', 'Mean seconds between the last tip blocks', ['chain']);
    counter('shardminer_blocks_added_total', 'Blocks added (all forks)', ['chain']);
    counter('shardminer_blocks_mined_total', 'Shard blocks sealed here or accepted from external miners', ['chain']);
    counter('shardminer_stale_blocks_total', 'Blocks added that did not become the tip', ['chain']);
    counter('shardminer_hashes_total', 'Nonces searched by the local sealing loops', ['chain']);
    gauge('shardminer_hashrate_hashes_per_second', 'Local hash rate over 10 s', ['chain']);
    counter('shardminer_transfers_confirmed_total', 'Transfers in canonical blocks', ['shard']);
    gauge('shardminer_pool_transactions', 'Transfers waiting in the pool', ['shard']);
    gauge('shardminer_pending_deposits', 'Deposits received and not yet applied at the tip', ['shard']);
    counter('shardminer_xshard_deposits_sent_total', 'Cross-shard transfers in added blocks, by source shard', ['shard']);
    counter('shardminer_xshard_deposits_applied_total', 'Cross-shard deposits applied in added blocks', ['shard']);
    gauge('shardminer_xshard_ring_used_bytes', 'Bytes waiting in the cross-shard ring', ['from', 'to']);
    gauge('shardminer_xshard_ring_capacity_bytes', 'Data area of the cross-shard ring', ['from', 'to']);
    gauge('shardminer_xshard_unacked_lists', 'Deposit lists sent and not yet acked by the destination', ['from', 'to']);
    gauge('shardminer_peers', 'Handshaken P2P peers');
    gauge('shardminer_syncing', '1 while a root sync runs, else 0');
    counter('shardminer_rpc_requests_total', 'JSON-RPC calls by method and result code (0 = success)', ['method', 'code']);
    this.offs.push(
      c.events.on('block', (id: number, ev: BlockEvent) => {
        const chain = hexId(id);
        this.k.shardminer_blocks_added_total!.inc({ chain });
        if (!ev.isTip) this.k.shardminer_stale_blocks_total!.inc({ chain });
        if (ev.appliedDeposits > 0) this.k.shardminer_xshard_deposits_applied_total!.inc({ shard: chain }, ev.appliedDeposits);
      }),
      c.events.on('rootTip', () => this.k.shardminer_blocks_added_total!.inc({ chain: ROOT })),
      feed.onSample((m, s) => this.update(m, s)),
    );
    for (const chain of [ROOT, ...c.shardIds.map(hexId)]) this.k.shardminer_blocks_added_total!.inc({ chain }, 0);
  }

  /** Moves a counter to a cumulative value (never backwards). */
  private toTotal(name: Name, labels: Record<string, string>, value: number): void {
    const key = `${name}|${Object.values(labels).join('|')}`;
    const d = value - (this.seen.get(key) ?? 0);
    this.seen.set(key, value);
    if (d > 0) this.k[name]!.inc(labels, d);
  }

  private update(m: NodeStatusMessage, s: NodeStatus): void {
    for (const r of m.chains) {
      const chain = { chain: r.chain };
      this.g.shardminer_chain_height!.set(chain, r.height);
      this.g.shardminer_last_block_age_seconds!.set(chain, r.lastBlockAge);
      if (r.blockInterval !== null) this.g.shardminer_block_interval_seconds!.set(chain, r.blockInterval);
      this.g.shardminer_hashrate_hashes_per_second!.set(chain, r.hashrate);
    }
    this.toTotal('shardminer_hashes_total', { chain: ROOT }, s.root.hashes);
    for (const sh of s.shards) {
      const chain = hexId(sh.shardId);
      this.toTotal('shardminer_hashes_total', { chain }, sh.hashes);
      this.toTotal('shardminer_blocks_mined_total', { chain }, sh.blocksMined);
      this.toTotal('shardminer_transfers_confirmed_total', { shard: chain }, sh.txsConfirmed);
      this.g.shardminer_pool_transactions!.set({ shard: chain }, sh.poolSize);
      this.g.shardminer_pending_deposits!.set({ shard: chain }, sh.pendingDeposits);
    }
    m.xshard.shards.forEach((shard, i) => this.toTotal('shardminer_xshard_deposits_sent_total', { shard }, m.xshard.sentTotal[i] ?? 0));
    for (const r of this.c.xshardRings()) {
      const pair = { from: hexId(r.from), to: hexId(r.to) };
      this.g.shardminer_xshard_ring_used_bytes!.set(pair, r.usedBytes);
      this.g.shardminer_xshard_ring_capacity_bytes!.set(pair, r.capacityBytes);
      this.g.shardminer_xshard_unacked_lists!.set(pair, r.unacked);
    }
    this.g.shardminer_peers!.set(m.peers.length);
    this.g.shardminer_syncing!.set(m.chains[0]?.syncing ? 1 : 0);
  }

  /** The method table with every call counted by method and result code. */
  instrument(methods: MethodTable): MethodTable {
    const out = new Map<string, MethodSpec>();
    const calls = this.k.shardminer_rpc_requests_total!;
    for (const [method, spec] of methods) {
      out.set(method, {
        ...spec,
        handler: async (params, ctx) => {
          try {
            const r = await spec.handler(params, ctx);
            calls.inc({ method, code: '0' });
            return r;
          } catch (e) {
            calls.inc({ method, code: String(toRpcError(e).code) });
            throw e;
          }
        },
      });
    }
    return out;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  close(): void {
    for (const off of this.offs.splice(0)) off();
  }
}
