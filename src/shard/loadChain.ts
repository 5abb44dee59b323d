/** Opening a shard database: initialise it with genesis, or rebuild the in-memory chain from it. */
import { keyOf } from '../core/bytes.js';
import { configToJson } from '../core/config.js';
import { configMismatchMessage } from '../core/configDiff.js';
import { internal } from '../core/errors.js';
import { minorHeaderHash, type MinorHeader, type MinorMeta } from '../core/minorBlock.js';
import type { RootBlock } from '../core/rootBlock.js';
import { ZERO_STATS, type BlockStats } from '../consensus/conservation.js';
import type { ChainParts } from './chainParts.js';
import { ShardStore } from './shardStore.js';

export async function loadChain(p: ChainParts): Promise<void> {
  const stored = await p.store.meta('config');
  const cfgJson = new TextEncoder().encode(configToJson(p.cfg));
  if (!stored) return initChain(p, cfgJson);
  if (Buffer.compare(Buffer.from(stored), Buffer.from(cfgJson)) !== 0) {
    throw internal('CONFIG_MISMATCH', configMismatchMessage(`the database of shard 0x${p.shardId.toString(16)}`, new TextDecoder().decode(stored), p.cfg));
  }
  const roots: RootBlock[] = [];
  for await (const rb of p.store.roots()) roots.push(rb);
  roots.sort((a, b) => a.header.height - b.header.height);
  for (const rb of roots) p.roots.add(rb);
  const headers: { header: MinorHeader; meta: MinorMeta }[] = [];
  for await (const h of p.store.headers()) headers.push(h);
  headers.sort((a, b) => a.header.height - b.header.height);
  const stats = new Map<string, BlockStats>();
  for await (const [hash, s] of p.store.stats()) stats.set(keyOf(hash), s);
  for (const h of headers) {
    if (h.header.height > 0) p.tree.add(h.header, h.meta, stats.get(keyOf(minorHeaderHash(h.header))) ?? ZERO_STATS);
  }
  for await (const hash of p.store.committed()) {
    const n = p.tree.get(hash);
    if (n) n.committed = true;
  }
  p.states.set(p.tree.genesis, p.genesisState);
  const rootTip = p.roots.get((await p.store.meta('rootTip'))!);
  if (rootTip) p.roots.setTip(rootTip);
  const tip = p.tree.get((await p.store.meta('tip'))!);
  if (!tip) throw internal('DB_CORRUPT', 'stored tip block is missing');
  await p.states.of(tip);
  p.tree.setTip(tip);
}

/** A new database: genesis header, its state as a diff, tips and the configuration. */
async function initChain(p: ChainParts, cfgJson: Uint8Array): Promise<void> {
  const g = p.tree.genesis;
  const genesisDiff = [...p.genesisState.entries()].map(([recipient, account]) => ({ recipient, account }));
  await p.store.batch([
    ShardStore.putHeader(g.hash, g.header, g.meta),
    ShardStore.putDiff(g.hash, genesisDiff),
    ShardStore.putMeta('tip', g.hash),
    ShardStore.putMeta('rootTip', p.roots.genesis.hash),
    ShardStore.putMeta('config', cfgJson),
  ]);
  p.states.set(g, p.genesisState);
}
