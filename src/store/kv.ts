/**
 * The key-value layer (DESIGN §9): byte keys and values, atomic batches, iteration in byte
 * order. `openLevelKv` (./levelKv.ts) is LevelDB on disk; `memKv` (./memKv.ts) is an in-memory twin with the same semantics
 * for tests and `--mem`. Both return plain `Uint8Array`s that the caller owns.
 */
export type BatchOp =
  | { type: 'put'; key: Uint8Array; value: Uint8Array }
  | { type: 'del'; key: Uint8Array };

/** A key range: `gte` inclusive, `lt` exclusive; `limit` caps the number of entries yielded. */
export interface KvRange {
  gte?: Uint8Array;
  lt?: Uint8Array;
  reverse?: boolean;
  limit?: number;
}

export interface KV {
  get(key: Uint8Array): Promise<Uint8Array | undefined>;
  getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]>;
  /** All operations apply or none do; a later op on the same key wins. */
  batch(ops: BatchOp[]): Promise<void>;
  /** Entries in ascending byte order of keys (descending with `reverse`), from a snapshot taken when iteration starts. */
  iterate(range: KvRange): AsyncIterable<[Uint8Array, Uint8Array]>;
  close(): Promise<void>;
}

