/**
 * Abuse harness (issue "hostile load" item 4): slow HTTP clients beside a real request,
 * future-nonce spam, a malformed RPC batch, a P2P connection storm, a PING burst and a request
 * flood, against the node at the given URLs or one started here (mining, simulated sealing, RPC
 * and P2P on free 127.0.0.1 ports); checks what was refused and that the node kept mining
 * (bench/abuse/abuseRun.ts). Prints one line; exits 1 when a check failed.
 *   node dist/bench/abuse.js [rpc-url p2p-url]
 * A node given by URL must run the default dev accounts (the spam signs with the last one).
 */
import { runAbuse } from './abuse/abuseRun.js';

const [rpc, p2p] = process.argv.slice(2);
if ((rpc === undefined) !== (p2p === undefined)) {
  process.stderr.write('usage: node dist/bench/abuse.js [rpc-url p2p-url]\n');
  process.exit(2);
}
const r = await runAbuse(rpc !== undefined && p2p !== undefined ? { rpc, p2p } : undefined);
process.stdout.write(`${r.line}\n`);
if (!r.ok) {
  for (const f of r.failures) process.stderr.write(`${f}\n`);
  process.exit(1);
}
