/**
 * Property-based fuzzing of every decoder (issue "hostile load" item 4), with fast-check: binary
 * decoders (transactions, minor and root headers and blocks, deposit lists, P2P messages) on
 * mutated and random encodings, and the JSON-RPC parameter parsers on arbitrary JSON values.
 * See bench/fuzz/targets.ts for the properties. Prints one line; exits 1 on a violation, with
 * fast-check's shrunk counterexample on stderr.
 *   node dist/bench/fuzz.js [inputs=100000] [seed]
 */
import fc from 'fast-check';
import { runFuzz } from './fuzz/run.js';
import { fuzzSamples } from './fuzz/samples.js';

const total = Number(process.argv[2] ?? 100_000);
const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);

const r = runFuzz(await fuzzSamples(), total, seed, fc);
process.stdout.write(`${r.line}\n`);
if (r.failure) {
  process.stderr.write(`${r.failure}\n`);
  process.exit(1);
}
