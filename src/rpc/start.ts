/**
 * Starts the node's JSON-RPC service (used by `mine`, and by `node` when it exists): the public
 * server (38391 by default) and QuarkChain's private port (38491), sharing one work manager,
 * one subscription hub and one stats sampler. QuarkChain's private methods are served on the
 * public server only when it is bound to a loopback address, or with `--rpc-private`; the
 * private port binds 127.0.0.1 unless `--rpc-private` puts it on the public host too.
 * Each bound port is printed as a stable line: `rpc: listening on http://HOST:PORT`, and the
 * dashboard's page (served with /metrics where the private methods are) as
 * `dashboard: listening on http://HOST:PORT/`.
 */
import type { Coordinator } from '../cluster/coordinator.js';
import { WorkManager } from '../cluster/work.js';
import type { RpcNode } from './context.js';
import type { Json } from './json.js';
import { methodTable } from './methods/index.js';
import { NodeStats } from './nodeStats.js';
import { isLoopback } from '../core/netAddress.js';
import { RpcServer, type RpcLimits } from './server.js';
import { SubscriptionHub } from './subscriptions.js';
import { dashboardAssets } from './dashboard/assets.js';
import { getRoutes, type GetHandler } from './dashboard/httpRoutes.js';
import { METRICS_CONTENT_TYPE, NodeMetrics } from './dashboard/metrics.js';
import { StatusFeed } from './dashboard/statusFeed.js';

export const DEFAULT_RPC_HOST = '127.0.0.1';
/** QuarkChain's JSON_RPC_PORT and PRIVATE_JSON_RPC_PORT. */
export const DEFAULT_RPC_PORT = 38391;
export const DEFAULT_RPC_PRIVATE_PORT = 38491;
const LOOPBACK_HOST = '127.0.0.1';

export interface RpcStartOptions {
  readonly host: string;
  readonly port: number;
  /** null: no private port. */
  readonly privatePort: number | null;
  /** --rpc-private: private methods on a non-loopback public address too. */
  readonly exposePrivate: boolean;
  readonly remote: boolean;
  readonly txRate: number;
  readonly log: (line: string) => void;
  readonly limits?: Partial<RpcLimits>;
  /** false (--no-dashboard): no page; `/metrics` is still served. Default true. */
  readonly dashboard?: boolean;
}

export class RpcService {
  private constructor(
    readonly node: RpcNode,
    readonly pub: RpcServer,
    readonly priv: RpcServer | null,
    private readonly hub: SubscriptionHub,
    private readonly feed: StatusFeed,
    readonly metrics: NodeMetrics,
    /** The dashboard's address, null with --no-dashboard. */
    readonly dashboardUrl: string | null,
  ) {}

  static async start(coordinator: Coordinator, o: RpcStartOptions): Promise<RpcService> {
    const work = new WorkManager(coordinator, Date.now, o.log);
    const stats = new NodeStats(coordinator.events);
    const hub = new SubscriptionHub(coordinator.events);
    const feed = new StatusFeed(coordinator);
    const metrics = new NodeMetrics(coordinator, feed);
    feed.onSample((m) => hub.publishStatus(() => m as unknown as Json));
    feed.start();
    const node: RpcNode = { coordinator, work, remote: o.remote, txRate: o.txRate, stats, feed };
    const methods = metrics.instrument(methodTable());
    // The page and /metrics are served where the private methods are (DESIGN §11).
    const get: GetHandler = getRoutes({ assets: o.dashboard === false ? new Map() : dashboardAssets(), metrics: { text: () => metrics.text(), type: METRICS_CONTENT_TYPE } });
    const pubPrivate = isLoopback(o.host) || o.exposePrivate;
    let pub: RpcServer | null = null;
    try {
      pub = await RpcServer.listen({ host: o.host, port: o.port, methods, node, hub, privateAllowed: pubPrivate, limits: o.limits, label: 'rpc', get: pubPrivate ? get : null });
      o.log(`rpc: listening on ${pub.url}`);
      let priv: RpcServer | null = null;
      if (o.privatePort !== null) {
        const host = o.exposePrivate ? o.host : LOOPBACK_HOST;
        priv = await RpcServer.listen({ host, port: o.privatePort, methods, node, hub, privateAllowed: true, limits: o.limits, label: 'rpc (private)', portFlag: '--rpc-private-port', get });
        o.log(`rpc: private listening on ${priv.url}`);
      }
      const home = pubPrivate ? pub : priv;
      const dashboardUrl = o.dashboard === false || !home ? null : `${home.url}/`;
      if (dashboardUrl) o.log(`dashboard: listening on ${dashboardUrl}`);
      return new RpcService(node, pub, priv, hub, feed, metrics, dashboardUrl);
    } catch (e) {
      await pub?.close();
      hub.close();
      feed.close();
      metrics.close();
      stats.close();
      throw e;
    }
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.pub.close(), this.priv?.close()]);
    this.hub.close();
    this.feed.close();
    this.metrics.close();
    this.node.stats.close();
  }
}
