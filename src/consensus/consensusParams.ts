/**
 * Every configuration field that changes consensus (DESIGN §9, §10), flattened into a list of
 * named values in a fixed order. The root genesis block commits to the list (its `mixhash` is the
 * list's hash, see genesis.ts), so two configurations that differ in any of them have different
 * genesis hashes; HELLO carries the list, so a peer with another configuration is refused naming
 * the first field that differs. Names are the configuration's own paths (`root.algo`,
 * `chains[0].shardSize`), the same paths the `--config` schema reports. Local knobs (pool size,
 * ring size) are not consensus and are left out.
 */
import { concatBytes, toHex, type Bytes } from '../core/bytes.js';
import type { Config, ConsensusParams } from '../core/config.js';
import { keccak256 } from '../core/keccak.js';

export interface ConsensusParam {
  /** The field's path in the configuration, e.g. `chains[0].consensus.algo`. */
  readonly name: string;
  /** Its value as text (decimal for numbers; a hash for long free-form values). */
  readonly value: string;
}

/** Longest value sent as itself; a longer one (a dev seed, the allocation list) is sent as its hash. */
export const MAX_PARAM_VALUE_CHARS = 80;
/** Bytes of a hash shown for a long value: enough to tell two apart. */
const SHORT_HASH_BYTES = 16;

const utf8 = new TextEncoder();
const shortHash = (s: string): string => `keccak:${toHex(keccak256(utf8.encode(s)).subarray(0, SHORT_HASH_BYTES))}`;

/** Free-form text as a value: itself when short and printable, else its hash. */
function textValue(s: string): string {
  const quoted = JSON.stringify(s);
  return quoted.length <= MAX_PARAM_VALUE_CHARS && /^[\x20-\x7e]*$/.test(quoted) ? quoted : shortHash(s);
}

function consensusEntries(prefix: string, p: ConsensusParams): ConsensusParam[] {
  return [
    { name: `${prefix}.algo`, value: p.algo },
    { name: `${prefix}.targetBlockTime`, value: String(p.targetBlockTime) },
    { name: `${prefix}.genesisDifficulty`, value: String(p.genesisDifficulty) },
    { name: `${prefix}.minimumDifficulty`, value: String(p.minimumDifficulty) },
    { name: `${prefix}.cutoff`, value: String(p.cutoff) },
    { name: `${prefix}.factor`, value: String(p.factor) },
  ];
}

/** The consensus parameters of `cfg`, in their fixed order (layout first, so a layout change is named as such). */
export function consensusParams(cfg: Config): ConsensusParam[] {
  const out: ConsensusParam[] = [
    { name: 'networkId', value: String(cfg.networkId) },
    { name: 'chains', value: `${cfg.chains.length} chain${cfg.chains.length === 1 ? '' : 's'}` },
  ];
  cfg.chains.forEach((ch, i) => out.push({ name: `chains[${i}].shardSize`, value: String(ch.shardSize) }));
  out.push(...consensusEntries('root', cfg.root));
  cfg.chains.forEach((ch, i) => out.push(...consensusEntries(`chains[${i}].consensus`, ch.consensus)));
  const alloc = cfg.genesisAlloc.map((a) => `${a.address}=${a.balance}`).join(',');
  out.push(
    { name: 'rootMaxHeadersPerShard', value: String(cfg.rootMaxHeadersPerShard) },
    { name: 'rootCoinbaseAmount', value: String(cfg.rootCoinbaseAmount) },
    { name: 'shardCoinbaseAmount', value: String(cfg.shardCoinbaseAmount) },
    { name: 'taxRate', value: `${cfg.taxRate.num}/${cfg.taxRate.den}` },
    { name: 'gasLimit', value: String(cfg.gasLimit) },
    { name: 'xshardGasLimit', value: String(cfg.xshardGasLimit) },
    { name: 'minGasPrice', value: String(cfg.minGasPrice) },
    { name: 'genesisTimestamp', value: String(cfg.genesisTimestamp) },
    { name: 'genesisAlloc', value: cfg.genesisAlloc.length === 0 ? 'none' : `${cfg.genesisAlloc.length} entries, ${shortHash(alloc)}` },
    { name: 'devAccounts', value: String(cfg.devAccounts) },
    { name: 'devSeed', value: textValue(cfg.devSeed) },
    { name: 'devBalance', value: String(cfg.devBalance) },
  );
  return out;
}

/** The hash the root genesis commits to: Keccak-256 over `name=value\n` for each parameter in order. */
export function consensusParamsHash(params: readonly ConsensusParam[]): Bytes {
  return keccak256(concatBytes(...params.map((p) => utf8.encode(`${p.name}=${p.value}\n`))));
}

/** The first parameter that differs between two lists (by position: names first, then values), or undefined. */
export function firstDifference(
  ours: readonly ConsensusParam[], theirs: readonly ConsensusParam[],
): { name: string; ours: string; theirs: string } | undefined {
  const n = Math.max(ours.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = ours[i];
    const b = theirs[i];
    if (a && b && a.name === b.name && a.value === b.value) continue;
    const name = a?.name ?? b!.name;
    if (a && b && a.name !== b.name) return { name, ours: a.value, theirs: `no such field (it has ${b.name})` };
    return { name, ours: a?.value ?? 'absent', theirs: b?.value ?? 'absent' };
  }
  return undefined;
}
