/**
 * Handshake rules (reference/sync.md §2 "Handshake", §4 HELLO). Every fault here ends the
 * connection, since there is no connection without a handshake; `fatal` says whether to also
 * refuse the peer for BAN_MS. Incompatible peers (other version, network or genesis, or
 * configuration, or ourselves) are banned so that we do not redial them in a loop; a duplicate connection or a
 * slow handshake is only closed. Pure: the caller passes `nowMs`.
 */
import { equalBytes, toHex, type Bytes } from '../core/bytes.js';
import { firstDifference, type ConsensusParam } from '../consensus/consensusParams.js';
import type { Hello, MessageType } from './messageTypes.js';
import { OK, peerFault, type PeerDecision } from './peerFault.js';

/** A peer has this long after connecting to send its HELLO (goquarkchain's handshake timeout). */
export const HANDSHAKE_TIMEOUT_MS = 5_000;

/** The fields of our own HELLO that a peer's must agree with. */
export interface LocalIdentity {
  readonly protocolVersion: number;
  readonly networkId: number;
  readonly genesisRootHash: Bytes;
  readonly params: readonly ConsensusParam[];
  readonly nodeId: Bytes;
}

/** What a person running the node reads when a peer has another configuration (both sides print it). */
export function configMismatchText(ours: readonly ConsensusParam[], theirs: readonly ConsensusParam[]): string | undefined {
  const d = firstDifference(ours, theirs);
  if (!d) return undefined;
  return `the peer has another configuration: ${d.name} is ${d.theirs} there, ${d.ours} here; ` +
    'start both nodes with the same chain flags (--chains, --shards, --algo, --root-algo, --shard-algo, difficulties, --config)';
}

/**
 * Checks a received HELLO against ours, cheapest first: version, network, consensus parameters
 * (naming the first that differs), genesis, then self-connect and, if `isConnected` is given, an existing connection to the same node id.
 */
export function checkHello(theirs: Hello, ours: LocalIdentity, isConnected?: (nodeId: Bytes) => boolean): PeerDecision {
  if (theirs.protocolVersion !== ours.protocolVersion) {
    return peerFault('P2P_VERSION_MISMATCH', true, 'PROTOCOL_VERSION', `protocol ${theirs.protocolVersion}, ours ${ours.protocolVersion}`);
  }
  if (theirs.networkId !== ours.networkId) {
    return peerFault('P2P_NETWORK_MISMATCH', true, 'NETWORK_ID', `network ${theirs.networkId}, ours ${ours.networkId}`);
  }
  const mismatch = configMismatchText(ours.params, theirs.params);
  if (mismatch !== undefined) return peerFault('P2P_CONFIG_MISMATCH', true, 'CONFIG', mismatch);
  if (!equalBytes(theirs.genesisRootHash, ours.genesisRootHash)) {
    return peerFault('P2P_GENESIS_MISMATCH', true, 'GENESIS', `genesis ${toHex(theirs.genesisRootHash)}, ours ${toHex(ours.genesisRootHash)}`);
  }
  if (equalBytes(theirs.nodeId, ours.nodeId)) return peerFault('P2P_SELF_CONNECT', true, 'SELF_CONNECT', 'the peer is this node');
  if (isConnected?.(theirs.nodeId)) {
    return peerFault('P2P_DUPLICATE_PEER', false, 'DUPLICATE_PEER', `already connected to ${toHex(theirs.nodeId)}`);
  }
  return OK;
}

/** HELLO comes first and once; before it, only DISCONNECT is also allowed. */
export function checkMessageOrder(type: MessageType, helloReceived: boolean): PeerDecision {
  if (!helloReceived && type !== 'HELLO' && type !== 'DISCONNECT') {
    return peerFault('P2P_HELLO_EXPECTED', true, 'HANDSHAKE', `${type} before HELLO`);
  }
  if (helloReceived && type === 'HELLO') return peerFault('P2P_DUPLICATE_HELLO', true, 'HANDSHAKE', 'a second HELLO');
  return OK;
}

/** A connection without a HELLO HANDSHAKE_TIMEOUT_MS after it opened is closed. */
export function checkHandshakeTime(connectedAtMs: number, nowMs: number, helloReceived: boolean): PeerDecision {
  if (helloReceived || nowMs - connectedAtMs < HANDSHAKE_TIMEOUT_MS) return OK;
  return peerFault('P2P_HANDSHAKE_TIMEOUT', false, 'HANDSHAKE', `no HELLO within ${HANDSHAKE_TIMEOUT_MS} ms`);
}
