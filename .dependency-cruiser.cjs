/**
 * Layer rules for `npm run lint:deps` (DESIGN §2, docs/architecture.md). Parsed with swc (TypeScript
 * 7 has no compiler API for dependency-cruiser 17), so `import type` edges count too.
 *
 * Levels, lowest first; a module may import its own level's folder and any lower level, never a
 * higher one. Sideways imports between two folders of one level are forbidden unless listed in
 * SIDEWAYS below (one direction each, so no folder cycle can form).
 */
const LEVELS = [
  ['core'],
  ['crypto', 'hashing'],
  ['consensus'],
  ['pow', 'channel', 'store'],
  ['shard', 'root'],
  ['cluster', 'p2p'],
  ['rpc', 'miner'],
  ['node.ts'],
  ['cli'],
];

/** Allowed sideways imports within a level, `from → to`, each with its reason. */
const SIDEWAYS = [
  // The coordinator's P2P wiring (cluster/p2pNode.ts) drives the transport and sync in p2p/.
  ['cluster', 'p2p'],
  // The external miner talks JSON-RPC through the RPC client and shares its error mapping.
  ['miner', 'rpc'],
];

/** Modules that must not do I/O or start threads (DESIGN §5: pure consensus code). */
const PURE = ['core', 'consensus'];
const IO_MODULES = ['fs', 'net', 'http', 'https', 'worker_threads', 'child_process', 'level', 'classic-level', 'ws', 'piscina'];

const pathOf = (name) => (name.endsWith('.ts') ? `^src/${name.replace('.', '\\.')}$` : `^src/${name}/`);

const layerRules = [];
LEVELS.forEach((level, i) => {
  const higher = LEVELS.slice(i + 1).flat();
  for (const name of level) {
    if (higher.length) {
      layerRules.push({
        name: `layer-${name}`,
        comment: `src/${name} (level ${i}) imports nothing above its level: ${higher.join(', ')}`,
        severity: 'error',
        from: { path: pathOf(name) },
        to: { path: higher.map(pathOf) },
      });
    }
    const peers = level.filter((p) => p !== name && !SIDEWAYS.some(([f, t]) => f === name && t === p));
    if (peers.length) {
      layerRules.push({
        name: `sideways-${name}`,
        comment: `src/${name} does not import its level's other folders (${peers.join(', ')}) unless SIDEWAYS allows it`,
        severity: 'error',
        from: { path: pathOf(name) },
        to: { path: peers.map(pathOf) },
      });
    }
  }
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import cycles between files', severity: 'error', from: {}, to: { circular: true } },
    { name: 'no-circular-folders', comment: 'no import cycles between folders', severity: 'error', scope: 'folder', from: {}, to: { circular: true } },
    { name: 'not-to-unresolvable', comment: 'every import resolves', severity: 'error', from: {}, to: { couldNotResolve: true } },
    {
      name: 'pure-no-io',
      comment: `${PURE.map((p) => 'src/' + p).join(' and ')} do no I/O and start no threads`,
      severity: 'error',
      from: { path: PURE.map(pathOf) },
      to: { path: IO_MODULES.map((m) => `^(node:)?${m}$|node_modules/${m}/`) },
    },
    { name: 'src-not-to-workers', comment: 'workers/ imports src/, never the reverse', severity: 'error', from: { path: '^src/' }, to: { path: '^workers/' } },
    { name: 'src-not-to-tests', comment: 'src/ imports no test or bench code', severity: 'error', from: { path: '^src/' }, to: { path: '^(test|bench)/' } },
    ...layerRules,
  ],
  options: {
    parser: 'swc',
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
