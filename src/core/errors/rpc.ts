/** Codes of the JSON-RPC client side (src/rpc, commands that talk to a node). */
import type { CodeFamily } from './spec.js';

export const RPC_CODES = {
  /** The node cannot be reached (the miner waits for it). */
  RPC_UNREACHABLE: { cls: 'internal' },
  /** A reply that is not what was asked: `internal` from the transport, `invalid` where a command checks a reply's shape. */
  RPC_BAD_REPLY: { cls: 'internal', alsoCls: 'invalid' },
  RPC_UNAVAILABLE: { cls: 'invalid' },
} as const satisfies CodeFamily;
