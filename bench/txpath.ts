/**
 * One shard's transfer path in one thread (issue 16), so a regression shows without a full stress
 * run: signed transfers of a stress configuration (half of them cross-shard) go through
 *   admit    decode the 177 bytes, recover the sender, the rules, the pool (`addTxs` in batches
 *            of 64, local, as the stress generator submits)
 *   build    the candidate block (`createBlockToMine`: select, run, roots)
 *   apply    the block's import (`addBlock`: validation, storage, tip)
 *   lists    its deposit lists: encoded at the source, decoded and stored at the destination
 *   deposits the destination's next block, which applies them (build and import)
 * and the line gives each stage's CPU µs per transfer (this thread's CPU clock; V8's GC helper
 * threads are not in it), their total, and one sender recovery's cost for scale (timed on a
 * sample of each block's transfers just before its admission, so both see the same machine) and
 * the total without it. Root blocks and signing are outside the timed stages.
 *   node dist/bench/txpath.js [blocks=20] [txsPerBlock=2000] [warmupBlocks=4]
 */
import type { Bytes } from '../src/core/bytes.js';
import { defaultKeyOf } from '../src/core/branch.js';
import { allShardIds } from '../src/core/config.js';
import { decodeDepositList, encodeDepositList } from '../src/core/deposit.js';
import { ChainError } from '../src/core/errors.js';
import { decodeTx, encodeTx, TX_LEN, type Transaction } from '../src/core/transaction.js';
import { GAS_TRANSFER, GAS_XSHARD_MIN } from '../src/consensus/gas.js';
import { useFastKeccak } from '../src/crypto/keccakWasm.js';
import { deriveDevKey, privateKeyToRecipient, recoverSender, signTx } from '../src/crypto/keys.js';
import { stressConfig } from '../src/cluster/stressConfig.js';
import { threadCpuPreciseMs } from '../src/pow/threadCpu.js';
import { RootChain } from '../src/root/rootChain.js';
import { ShardChain } from '../src/shard/shardChain.js';
import { memKv } from '../src/store/memKv.js';

/** Gas price of the transfers (the stress generator's). */
const GAS_PRICE = 1_000_000_000n;
/** Funded accounts, as `stress` has them. */
const ACCOUNTS = 1024;
/** Share of transfers to the other shard, in percent (as `stress`). */
const XSHARD_PERCENT = 50;
/** Transfers admitted per call, as the stress generator submits them. */
const ADMIT_BATCH = 64;
/** Recoveries timed per block for the reference figure, interleaved with the path so both see the same machine. */
const RECOVERIES_PER_BLOCK = 500;

const blocks = Number(process.argv[2] ?? 20);
const perBlock = Number(process.argv[3] ?? 2000);
const warmup = Number(process.argv[4] ?? 4);

await useFastKeccak();
const cfg = stressConfig({ chains: 1, shards: 2, accounts: ACCOUNTS, algo: 'simulate' });
const [src, dst] = allShardIds(cfg) as [number, number];
const root = await RootChain.open(cfg, memKv());
const a = await ShardChain.open(cfg, src, memKv(), { retainBlocks: 32 });
const b = await ShardChain.open(cfg, dst, memKv(), { retainBlocks: 32 });
const coinbase = (id: number): { recipient: Bytes; fullShardKey: number } => ({ recipient: new Uint8Array(20), fullShardKey: defaultKeyOf(id) });
let now = cfg.genesisTimestamp + 1;

/** Builds and imports a block on `c` (and reports it to the root chain); returns the import's result. */
async function mine(c: ShardChain, t?: { build: number; apply: number }): Promise<Awaited<ReturnType<ShardChain['addBlock']>>> {
  now++;
  const t0 = threadCpuPreciseMs();
  const block = await c.createBlockToMine(now, coinbase(c.shardId));
  const t1 = threadCpuPreciseMs();
  const r = await c.addBlock(block, { nowSec: now });
  const t2 = threadCpuPreciseMs();
  if (t) { t.build += t1 - t0; t.apply += t2 - t1; }
  await root.addCommittedHeader(r.header, r.tipChanged);
  return r;
}

/** What the rings do: each list encoded at the source, decoded and stored at its destination; then the source block is committed. */
async function deliver(from: ShardChain, r: Awaited<ReturnType<ShardChain['addBlock']>>): Promise<void> {
  for (const [dest, list] of r.lists) {
    const payload = encodeDepositList(list);
    await (dest === a.shardId ? a : b).addXshardList(r.hash, decodeDepositList(payload));
  }
  await from.markCommitted(r.hash);
}

async function mineRoot(): Promise<void> {
  now++;
  const rb = root.createBlockToMine(now, coinbase(src));
  await root.addBlock(rb, { nowSec: now, skipSeal: true });
  await a.addRootBlock(rb);
  await b.addRootBlock(rb);
}

// Cross-shard transfers need a root block past genesis.
await deliver(a, await mine(a));
await deliver(b, await mine(b));
await mineRoot();

// Senders of the source shard (every second dev account), their transfers pre-signed as bytes.
const recipients = Array.from({ length: ACCOUNTS }, (_, j) => privateKeyToRecipient(deriveDevKey(cfg.devSeed, j)));
const senders = recipients.flatMap((r, j) => (j % 2 === 0 ? [{ key: deriveDevKey(cfg.devSeed, j), recipient: r, nonce: 0 }] : []));
for (const s of senders) s.nonce = (await a.account(s.recipient)).nonce;
let seed = 1;
const rand = (): number => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed / 2 ** 31; };
const total = blocks + warmup;
const signed = new Uint8Array(total * perBlock * TX_LEN);
for (let i = 0; i < total * perBlock; i++) {
  const s = senders[i % senders.length]!;
  const xshard = rand() * 100 < XSHARD_PERCENT;
  const tx = signTx({
    nonce: s.nonce++, gasPrice: GAS_PRICE, gasLimit: xshard ? GAS_XSHARD_MIN : GAS_TRANSFER,
    to: { recipient: recipients[Math.floor(rand() * ACCOUNTS)]!, fullShardKey: defaultKeyOf(xshard ? dst : src) },
    value: 1n + BigInt(Math.floor(rand() * 1000)), networkId: cfg.networkId, fromFullShardKey: defaultKeyOf(src),
  }, s.key);
  signed.set(encodeTx(tx), i * TX_LEN);
}

const t = { admit: 0, build: 0, apply: 0, lists: 0, deposits: 0 };
let recoverMs = 0;
let recovered = 0;
let measured = 0;
let deposited = 0;
for (let k = 0; k < total; k++) {
  const on = k >= warmup;
  const s = { admit: 0, build: 0, apply: 0, lists: 0, deposits: 0 };
  const sample = Array.from({ length: RECOVERIES_PER_BLOCK }, (_, i) => decodeTx(signed.subarray((k * perBlock + i) * TX_LEN, (k * perBlock + i + 1) * TX_LEN)));
  let c = threadCpuPreciseMs();
  for (const tx of sample) recoverSender(tx);
  const rec = threadCpuPreciseMs() - c;
  c = threadCpuPreciseMs();
  for (let i = k * perBlock; i < (k + 1) * perBlock; i += ADMIT_BATCH) {
    const batch: Transaction[] = [];
    for (let j = i; j < Math.min(i + ADMIT_BATCH, (k + 1) * perBlock); j++) batch.push(decodeTx(signed.subarray(j * TX_LEN, (j + 1) * TX_LEN)));
    for (const x of await a.addTxs(batch, true)) if (x instanceof ChainError) throw x;
  }
  s.admit = threadCpuPreciseMs() - c;
  const r = await mine(a, s);
  if (r.status !== 'added' || a.pool.size !== 0) throw new Error(`block ${k}: ${r.status}, ${a.pool.size} transfers left in the pool`);
  c = threadCpuPreciseMs();
  await deliver(a, r);
  s.lists = threadCpuPreciseMs() - c;
  await mineRoot();
  const d = { build: 0, apply: 0 };
  const rb = await mine(b, d);
  await deliver(b, rb);
  s.deposits = d.build + d.apply;
  const applied = rb.applied.filter((x) => !x.fromRoot).length;
  if (on) {
    for (const key of Object.keys(t) as (keyof typeof t)[]) t[key] += s[key];
    measured += perBlock;
    recoverMs += rec;
    recovered += RECOVERIES_PER_BLOCK;
    deposited += applied;
  }
}
const xsent = Math.round((100 * deposited) / measured);
const us = (ms: number): string => ((ms * 1000) / measured).toFixed(1);
const sum = t.admit + t.build + t.apply + t.lists + t.deposits;
const recoverUs = (recoverMs * 1000) / recovered;
process.stdout.write(
  `txpath transfers=${measured} perBlock=${perBlock} deposited=${xsent}% admitUs=${us(t.admit)} buildUs=${us(t.build)} applyUs=${us(t.apply)} ` +
  `listsUs=${us(t.lists)} depositsUs=${us(t.deposits)} totalUs=${us(sum)} recoverUs=${recoverUs.toFixed(1)} pathMinusRecoverUs=${((sum * 1000) / measured - recoverUs).toFixed(1)}\n`,
);
