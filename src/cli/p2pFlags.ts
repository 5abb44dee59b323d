/**
 * The P2P flags of node commands (`mine`, `node`): --p2p-port, --ports-offset and --peer (repeatable). `--no-p2p`
 * is `mine`'s own flag (`node` is nothing without P2P).
 */
import type { Command } from 'commander';
import { DEFAULT_P2P_PORT, parsePeerUrl, type P2pOptions } from '../cluster/p2pNode.js';
import { invalid } from '../core/errors.js';
import { MAX_PORTS_OFFSET, portOf, portsOffsetOf, type PortsOffsetFlags } from './portFlags.js';

export interface P2pFlags extends PortsOffsetFlags {
  /** False with --no-p2p (`mine` only; always true for `node`). */
  p2p: boolean;
  p2pPort?: string;
  peer: string[];
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function addP2pFlags(cmd: Command): Command {
  return cmd
    .option('--p2p-port <PORT>', `P2P port on 127.0.0.1 (0: any free port) (default ${DEFAULT_P2P_PORT} + --ports-offset)`)
    .option('--ports-offset <N>', `add N (0..${MAX_PORTS_OFFSET}) to every default port (P2P, RPC, private RPC): a second local node needs only --ports-offset 1`)
    .option('--peer <URL>', 'a peer to connect to and sync from, ws://HOST:PORT (repeatable)', collect, []);
}

/** The P2P options of the flags, or null with --no-p2p (checked before the node starts). */
export function p2pOptionsFromFlags(f: P2pFlags, log: (l: string) => void): P2pOptions | null {
  if (!f.p2p) {
    if (f.peer.length > 0) throw invalid('BAD_FLAG', '--peer needs P2P (drop --no-p2p)');
    return null;
  }
  const port = portOf(f.p2pPort, 'p2p-port', DEFAULT_P2P_PORT, portsOffsetOf(f));
  for (const url of f.peer) parsePeerUrl(url);
  return { port, peers: f.peer, log };
}
