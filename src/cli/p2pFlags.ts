/**
 * The P2P flags of node commands (`mine`, `node`): --p2p-port and --peer (repeatable). `--no-p2p`
 * is `mine`'s own flag (`node` is nothing without P2P).
 */
import type { Command } from 'commander';
import { DEFAULT_P2P_PORT, parsePeerUrl, type P2pOptions } from '../cluster/p2pNode.js';
import { invalid } from '../core/errors.js';

const MAX_PORT = 65_535;

export interface P2pFlags {
  /** False with --no-p2p (`mine` only; always true for `node`). */
  p2p: boolean;
  p2pPort: string;
  peer: string[];
}

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function addP2pFlags(cmd: Command): Command {
  return cmd
    .option('--p2p-port <PORT>', 'P2P port on 127.0.0.1 (0: any free port)', String(DEFAULT_P2P_PORT))
    .option('--peer <URL>', 'a peer to connect to and sync from, ws://HOST:PORT (repeatable)', collect, []);
}

/** The P2P options of the flags, or null with --no-p2p (checked before the node starts). */
export function p2pOptionsFromFlags(f: P2pFlags, log: (l: string) => void): P2pOptions | null {
  if (!f.p2p) {
    if (f.peer.length > 0) throw invalid('BAD_FLAG', '--peer needs P2P (drop --no-p2p)');
    return null;
  }
  const port = Number(f.p2pPort);
  if (!Number.isInteger(port) || port < 0 || port > MAX_PORT) throw invalid('BAD_FLAG', `--p2p-port must be a port number 0..${MAX_PORT}, got '${f.p2pPort}'`);
  for (const url of f.peer) parsePeerUrl(url);
  return { port, peers: f.peer, log };
}
