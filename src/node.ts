/**
 * The one composition root (DESIGN §2): options and modules in, a started node out. It starts
 * the coordinator, then P2P and JSON-RPC if asked, wires P2P into the coordinator through a
 * P2pSlot given at construction, turns a dying shard worker into a stop, and owns the stop order:
 * P2P (no sync task outlives the coordinator), RPC, sealing, the caller's `finish`, the
 * coordinator. `mine`, `node`, `stress` and the benches start their node here.
 */
import { Coordinator, type CoordinatorOptions } from './cluster/coordinator.js';
import { P2pNode, type P2pOptions } from './cluster/p2pNode.js';
import { P2pSlot } from './cluster/p2pView.js';
import { ChainError } from './core/errors.js';
import { RpcService, type RpcStartOptions } from './rpc/start.js';

export interface NodeOptions {
  /** The coordinator's options (its `onFatal` and `p2p` are the node's own). */
  readonly coordinator: Omit<CoordinatorOptions, 'onFatal' | 'p2p'>;
  /** null or absent: no P2P. */
  readonly p2p?: P2pOptions | null;
  /** null or absent: no JSON-RPC. */
  readonly rpc?: RpcStartOptions | null;
  /** Progress lines (stderr by default), among them `p2p: listening on URL`. */
  readonly log?: (line: string) => void;
  /**
   * A clean stop's last step before the coordinator stops: P2P and RPC are closed and sealing
   * has stopped (the chain is still readable). Skipped after a fatal error.
   */
  readonly finish?: (node: ShardminerNode) => Promise<void>;
}

export interface ShardminerNode {
  readonly coordinator: Coordinator;
  readonly p2p: P2pNode | null;
  readonly rpc: RpcService | null;
  /** Resolves as a stop begins (a request or a fatal error), before anything closes: clear timers here. */
  readonly stopping: Promise<void>;
  /** Resolves once everything is closed: null after a clean stop, the fatal error otherwise. */
  readonly stopped: Promise<ChainError | null>;
  /** Begins the stop (signals, `--duration`); idempotent. */
  requestStop(): void;
  /** Begins the stop and waits for it. */
  stop(): Promise<ChainError | null>;
}

const stderrLog = (l: string): void => { process.stderr.write(l + '\n'); };

export async function startNode(o: NodeOptions): Promise<ShardminerNode> {
  const log = o.log ?? stderrLog;
  const slot = new P2pSlot();
  let fatal: ChainError | null = null;
  let begin: () => void = () => undefined;
  const stopping = new Promise<void>((r) => { begin = r; });
  const coordinator = await Coordinator.start({
    ...o.coordinator, p2p: slot,
    onFatal: (e) => { fatal ??= e; begin(); },
  });
  let p2p: P2pNode | null = null;
  let rpc: RpcService | null = null;
  try {
    if (o.p2p) {
      p2p = await P2pNode.start(coordinator, { ...o.p2p, slot });
      log(`p2p: listening on ${p2p.url}`);
    }
    if (o.rpc) rpc = await RpcService.start(coordinator, o.rpc);
  } catch (e) {
    await p2p?.close();
    await coordinator.stop().catch(() => undefined);
    throw e;
  }
  const node: ShardminerNode = {
    coordinator, p2p, rpc, stopping,
    stopped: stopping.then(async () => {
      await p2p?.close();
      await rpc?.close();
      if (fatal) {
        await coordinator.stop().catch(() => undefined); // the fatal error is the one to report
        return fatal;
      }
      await coordinator.setMining(false);
      await o.finish?.(node);
      await coordinator.stop();
      return null;
    }, () => null),
    requestStop: () => begin(),
    stop: () => { begin(); return node.stopped; },
  };
  return node;
}

/**
 * Runs `fn` on a node started with `o`, then stops it, whether `fn` succeeded or threw. When a
 * fatal error stopped the node, that error is thrown (it explains whatever `fn` saw fail).
 */
export async function withNode<T>(o: NodeOptions, fn: (node: ShardminerNode) => Promise<T>): Promise<T> {
  const node = await startNode(o);
  let result: T;
  try {
    result = await fn(node);
  } catch (e) {
    const fatal = await node.stop();
    throw fatal ?? e;
  }
  const fatal = await node.stop();
  if (fatal) throw fatal;
  return result;
}
