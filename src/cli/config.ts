/**
 * `shardminer config [chain flags] [--config FILE]`: the effective configuration (defaults, the
 * file, then the flags, as `mine` and `node` build it) as JSON on stdout, in the --config file
 * format (configSchema.ts), so it can be saved, edited and passed back with --config. With
 * --consensus, the consensus parameters HELLO carries and the genesis hash commits to.
 */
import type { Command } from 'commander';
import { consensusParams } from '../consensus/consensusParams.js';
import { rootGenesis } from '../consensus/genesis.js';
import { toHex } from '../core/bytes.js';
import { rootHeaderHash } from '../core/rootBlock.js';
import { addChainFlags, configFromFlags, datadirOf, type ChainFlags } from './configFlags.js';
import { configFileText } from './configSchema.js';

interface ConfigFlags extends ChainFlags {
  consensus?: boolean;
}

export function runConfig(f: ConfigFlags): void {
  datadirOf(f);
  const cfg = configFromFlags(f);
  if (f.consensus) {
    const params = Object.fromEntries(consensusParams(cfg).map((p) => [p.name, p.value]));
    process.stdout.write(JSON.stringify({ genesisRootHash: toHex(rootHeaderHash(rootGenesis(cfg).header)), params }, null, 2) + '\n');
    return;
  }
  process.stdout.write(configFileText(cfg) + '\n');
}

export function registerConfig(program: Command): void {
  const cmd = program.command('config').description('print the effective configuration as JSON (a valid --config file)');
  addChainFlags(cmd)
    .option('--consensus', 'print the consensus parameters and the genesis hash instead')
    .action((f: ConfigFlags) => runConfig(f));
}
