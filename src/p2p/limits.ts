/**
 * Wire limits of the P2P protocol (DESIGN §10, reference/sync.md §4). Every list and string on
 * the wire has a stated maximum; a peer that sends more is penalised. The request caps are twice
 * what a server answers with (QuarkChain's rule), so a peer asking for a little more than we
 * would serve is tolerated and only an abusive request is a fault.
 */
import { MAX_TOTAL_SHARDS } from '../core/config.js';

/** One frame, any message: sync.md §4's cap, above go-ethereum's 10 MiB and far above a root block of 64 × 32 headers (~0.5 MB). */
export const MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Root headers a server returns per request (QuarkChain's root header batch). */
export const SERVE_ROOT_HEADERS = 500;
/** Root headers a request may ask for, and a response may carry: 2 × the served batch. */
export const MAX_ROOT_HEADERS = 2 * SERVE_ROOT_HEADERS;
/** Root blocks a server returns per request (QuarkChain's body batch). */
export const SERVE_ROOT_BLOCKS = 100;
/** Root block hashes a request may name, and blocks a response may carry: 2 × the served batch. */
export const MAX_ROOT_BLOCKS = 2 * SERVE_ROOT_BLOCKS;
/** Shard headers a server returns per request (QuarkChain's minor header batch). */
export const SERVE_SHARD_HEADERS = 100;
/** Shard headers a request may ask for, and a response may carry: 2 × the served batch. */
export const MAX_SHARD_HEADERS = 2 * SERVE_SHARD_HEADERS;
/** Shard blocks a server returns per request (QuarkChain's minor block batch). */
export const SERVE_SHARD_BLOCKS = 50;
/** Shard block hashes a request may name, and blocks a response may carry: 2 × the served batch. */
export const MAX_SHARD_BLOCKS = 2 * SERVE_SHARD_BLOCKS;
/**
 * Bytes of shard blocks (their encodings) a ROOT_BLOCKS response carries beside its root blocks
 * when the request asks for them: 4 MiB, room for a body batch of 16 root blocks listing 64 blocks
 * of 32 transfers each (~0.4 MB) ten times over, and a quarter of a frame so the root blocks fit too.
 */
export const SERVE_BUNDLE_BYTES = 4 * 1024 * 1024;
/** The byte cap a request may state: 2 × the served amount, like the counts above. */
export const MAX_BUNDLE_BYTES = 2 * SERVE_BUNDLE_BYTES;
/**
 * Shard blocks a server reads for one bundle at most (whatever their size): as many as 8 shard
 * block requests would be served, so a bundle costs the server no more reads than those would.
 */
export const SERVE_BUNDLE_BLOCKS = 8 * SERVE_SHARD_BLOCKS;

/**
 * Transfers in one NEW_TRANSACTIONS message (~45 KB of 177-byte transfers): a relay batch is
 * flushed at this size, so a flood arrives in many small messages the receiver can cap one by one.
 */
export const MAX_RELAY_TXS = 256;

/** Shard tips in a HELLO: one per shard, and a node runs at most MAX_TOTAL_SHARDS shards. */
export const MAX_SHARD_TIPS = MAX_TOTAL_SHARDS;
/** DISCONNECT text in UTF-8 bytes: room for an error code, a hash and a sentence, bounded for logs. */
export const MAX_DISCONNECT_TEXT_BYTES = 256;
/** A node id: 32 random bytes (or a key hash), enough that two nodes never pick the same one. */
export const NODE_ID_LEN = 32;
/** A block hash (Keccak-256). */
export const HASH_LEN = 32;
/** TCP ports are 16-bit; 0 in HELLO means "not listening". */
export const MAX_PORT = 0xffff;
/**
 * Consensus parameters in a HELLO (consensus/consensusParams.ts): 7 per chain (its shard count and
 * six consensus fields), and MAX_TOTAL_SHARDS chains at most, 6 for the root and 16 global ones
 * (64 × 7 + 6 + 16 = 470), with room to grow.
 */
export const MAX_CONSENSUS_PARAMS = 512;
/** A parameter's name or value in UTF-8 bytes: a path like `chains[63].consensus.minimumDifficulty`, or a value of up to 80 characters. */
export const MAX_PARAM_TEXT_BYTES = 96;
