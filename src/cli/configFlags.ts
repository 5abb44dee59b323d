/**
 * Shared command-line conventions (DESIGN §12): --chains/--shards, --algo with
 * --root-algo/--shard-algo overrides, genesis difficulties, --config FILE (JSON, validated;
 * flags override it), --datadir or --mem.
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { defaultConfig, POW_ALGOS, rootConsensus, shardConsensus, validateConfig, type Config, type PowAlgo } from '../core/config.js';
import { invalid } from '../core/errors.js';
import { applyConfigFile, parseConfigFile, type ConfigFile } from './configSchema.js';

export const DEFAULT_DATADIR = './data';

export interface ChainFlags {
  chains?: string;
  shards?: string;
  algo?: PowAlgo;
  rootAlgo?: PowAlgo;
  shardAlgo?: PowAlgo;
  rootDifficulty?: string;
  shardDifficulty?: string;
  config?: string;
  /** Unset: DEFAULT_DATADIR (so that --mem with an explicit --datadir can be refused). */
  datadir?: string;
  mem?: boolean;
}

export function addChainFlags(cmd: Command, defaults: { datadir: string; shards?: number } = { datadir: DEFAULT_DATADIR }): Command {
  return cmd
    .option('--chains <C>', 'chains', undefined)
    .option('--shards <N>', `shards per chain, a power of two (default ${defaults.shards ?? 4})`)
    .addOption(new Option('--algo <A>', 'sealing algorithm for every chain').choices(POW_ALGOS as string[]))
    .addOption(new Option('--root-algo <A>', 'root chain algorithm').choices(POW_ALGOS as string[]))
    .addOption(new Option('--shard-algo <A>', 'shard chains algorithm').choices(POW_ALGOS as string[]))
    .option('--root-difficulty <N>', 'root genesis difficulty')
    .option('--shard-difficulty <N>', 'shard genesis difficulty')
    .option('--config <FILE>', 'JSON configuration file (flags override it)')
    .option('--datadir <DIR>', `data directory (LevelDB) (default "${defaults.datadir}")`)
    .option('--mem', 'keep everything in memory');
}

function int(v: string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw invalid('BAD_FLAG', `--${name} must be a positive integer, got '${v}'`);
  return n;
}

function big(v: string | undefined, name: string): bigint | undefined {
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v) || BigInt(v) < 1n) throw invalid('BAD_FLAG', `--${name} must be a positive integer, got '${v}'`);
  return BigInt(v);
}

/** A --config file: any subset of Config's fields, checked by the schema (configSchema.ts). */
function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw invalid('BAD_CONFIG', `cannot read --config ${path}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid('BAD_CONFIG', `--config ${path} is not valid JSON: ${(e as Error).message}`);
  }
  return parseConfigFile(json, `--config ${path}`);
}

/** The datadir of the flags: null with --mem; --mem with --datadir is a usage error (one of them would be ignored). */
export function datadirOf(f: ChainFlags, def = DEFAULT_DATADIR): string | null {
  if (f.mem && f.datadir !== undefined) throw invalid('BAD_FLAG', '--mem and --datadir together: keep one (--mem keeps nothing on disk)');
  return f.mem ? null : f.datadir ?? def;
}

export function configFromFlags(f: ChainFlags, base: Partial<Config> = {}, defaults: { shards?: number } = {}): Config {
  const file = f.config ? readConfigFile(f.config) : {};
  const chains = int(f.chains, 'chains');
  const shards = int(f.shards, 'shards') ?? (file.chains ? undefined : defaults.shards);
  const merged = applyConfigFile({ ...defaultConfig(), ...base }, file);
  const shardAlgo = f.shardAlgo ?? f.algo;
  const rootAlgo = f.rootAlgo ?? f.algo;
  const sd = big(f.shardDifficulty, 'shard-difficulty');
  const rd = big(f.rootDifficulty, 'root-difficulty');
  const chainCount = chains ?? merged.chains.length;
  const cfg: Config = {
    ...merged,
    chains: Array.from({ length: chainCount }, (_, i) => {
      const prev = merged.chains[i] ?? merged.chains[0]!;
      const cons = shardAlgo || sd ? shardConsensus(shardAlgo ?? prev.consensus.algo, sd ?? prev.consensus.genesisDifficulty) : prev.consensus;
      return { shardSize: shards ?? prev.shardSize, consensus: cons };
    }),
    root: rootAlgo || rd ? rootConsensus(rootAlgo ?? merged.root.algo, rd ?? merged.root.genesisDifficulty) : merged.root,
  };
  validateConfig(cfg);
  return cfg;
}
