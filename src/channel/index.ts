/** Cross-shard channel: SharedArrayBuffer rings, doorbells and the xshard message layer. */
export * from './ring.js';
export * from './doorbell.js';
export * from './seq.js';
export * from './fragment.js';
export * from './xshardChannel.js';
