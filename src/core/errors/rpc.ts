/** Codes of the JSON-RPC client side (src/rpc, commands that talk to a node). */
import type { CodeFamily } from './spec.js';

export const RPC_CODES = {
  /** The node cannot be reached (the miner waits for it). */
  RPC_UNREACHABLE: { cls: 'internal', hint: "is a node running at that address? start one with 'shardminer mine', or pass --rpc URL" },
  /** A reply that is not what was asked: `internal` from the transport, `invalid` where a command checks a reply's shape. */
  RPC_BAD_REPLY: { cls: 'internal', alsoCls: 'invalid', hint: 'is --rpc the URL of a shardminer or QuarkChain node?' },
  RPC_UNAVAILABLE: { cls: 'invalid' },
  /** The node answered a JSON-RPC error without a chain code (e.g. unknown method, bad params). */
  RPC_ERROR: { cls: 'invalid', hint: 'check the command against the node (is --rpc the right port: public or private?)' },
} as const satisfies CodeFamily;
