/**
 * Crash harness (issue "hostile load" item 4): `mine` on disk with transfer load, SIGKILLed at
 * seeded random instants and reopened each time; prints one line, exits 1 when a height went
 * back or conservation broke (bench/crash/crashRun.ts).
 *   node dist/bench/crash.js [kills=20] [seed]
 */
import { runCrash } from './crash/crashRun.js';

const kills = Number(process.argv[2] ?? 20);
const seed = process.argv[3] === undefined ? Date.now() % 2 ** 31 : Number(process.argv[3]);
const r = await runCrash(kills, seed);
process.stdout.write(`${r.line}\n`);
if (!r.ok) {
  process.stderr.write(`${r.failure}\n`);
  process.exit(1);
}
