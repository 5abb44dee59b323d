/**
 * The JSON-RPC flags of the node commands (`mine`, `node`): --rpc-host, --rpc-port,
 * --rpc-private-port, --rpc-private and --no-rpc. `mine` adds --remote (no local sealing:
 * getWork/submitWork only); a `node` seals nothing anyway and serves getWork to external miners.
 */
import type { Command } from 'commander';
import { invalid } from '../core/errors.js';
import { DEFAULT_RPC_HOST, DEFAULT_RPC_PORT, DEFAULT_RPC_PRIVATE_PORT, type RpcStartOptions } from '../rpc/start.js';
import { portOf, portsOffsetOf, type PortsOffsetFlags } from './portFlags.js';

export interface RpcFlags extends PortsOffsetFlags {
  rpc: boolean;
  rpcHost: string;
  rpcPort?: string;
  rpcPrivatePort?: string;
  rpcPrivate?: boolean;
  remote?: boolean;
  dashboard?: boolean;
}

export function addRpcFlags(cmd: Command): Command {
  return cmd
    .option('--rpc-host <HOST>', 'JSON-RPC address', DEFAULT_RPC_HOST)
    .option('--rpc-port <PORT>', `JSON-RPC port (HTTP and WebSocket; 0: any free port) (default ${DEFAULT_RPC_PORT} + --ports-offset)`)
    .option('--rpc-private-port <PORT>', `QuarkChain's private JSON-RPC port on 127.0.0.1 (0: any free port) (default ${DEFAULT_RPC_PRIVATE_PORT} + --ports-offset)`)
    .option('--rpc-private', 'serve the private methods (getStats, setMining, createTransactions) on a non-loopback --rpc-host too')
    .option('--no-rpc', 'do not start the JSON-RPC server')
    .option('--no-dashboard', 'no web dashboard on the JSON-RPC server (/metrics stays)');
}

/** The RPC options of the flags, or null with --no-rpc (checked before the node starts). */
export function rpcOptionsFromFlags(f: RpcFlags, txRate: number, log: (l: string) => void): RpcStartOptions | null {
  if (!f.rpc) {
    if (f.remote) throw invalid('BAD_FLAG', '--remote needs the JSON-RPC server (drop --no-rpc)');
    return null;
  }
  return {
    host: f.rpcHost, port: portOf(f.rpcPort, 'rpc-port', DEFAULT_RPC_PORT, portsOffsetOf(f)),
    privatePort: portOf(f.rpcPrivatePort, 'rpc-private-port', DEFAULT_RPC_PRIVATE_PORT, portsOffsetOf(f)),
    exposePrivate: f.rpcPrivate === true, remote: f.remote === true, txRate, log, dashboard: f.dashboard !== false,
  };
}
