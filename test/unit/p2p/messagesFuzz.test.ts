/**
 * Seeded fuzz of the decoder: mutated, truncated, extended and spliced valid frames, and random
 * bytes behind every type byte. Each must either decode to a message that re-encodes to exactly
 * the same bytes (one encoding per message), or be refused with a documented `invalid` P2P_
 * code: never a raw TypeError or RangeError, never an `internal` error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChainError } from '../../../src/core/errors.js';
import { TYPE_SPECS } from '../../../src/p2p/envelope.js';
import { decodeMessage, DECODE_ERROR_CODES, encodeMessage, type MessageType } from '../../../src/p2p/messages.js';
import { between, prng } from '../channel/helpers.js';
import { chainSample, sampleBundleMessages, sampleMessages } from './fixtures.js';

const TYPES = Object.keys(TYPE_SPECS) as MessageType[];
const MUTATIONS_PER_FRAME = 300;
const RANDOM_FRAMES_PER_TYPE = 100;
/** u32 values that sit on list caps, limits and range edges. */
const EDGE_U32 = [0, 1, 2, 3, 4, 5, 0x40, 0x41, 100, 101, 200, 201, 1000, 1001, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff];

interface Tally {
  decoded: number;
  refused: Map<string, number>;
}

function check(frame: Uint8Array, tally: Tally, what: string): void {
  let out;
  try {
    out = decodeMessage(frame);
  } catch (e) {
    assert.ok(e instanceof ChainError, `${what}: raw ${e instanceof Error ? e.name : typeof e}: ${String(e)}`);
    assert.equal(e.cls, 'invalid', `${what}: ${e.message}`);
    assert.ok(DECODE_ERROR_CODES.includes(e.code), `${what}: undocumented code ${e.code}`);
    tally.refused.set(e.code, (tally.refused.get(e.code) ?? 0) + 1);
    return;
  }
  tally.decoded++;
  assert.deepEqual(encodeMessage(out), frame, `${what}: a decoded message re-encodes to the same bytes`);
}

function mutate(rand: () => number, f: Uint8Array, other: Uint8Array): Uint8Array {
  const at = (): number => between(rand, 0, Math.max(0, f.length - 1));
  const out = f.slice();
  switch (between(rand, 0, 7)) {
    case 0: // overwrite 1–4 random bytes
      for (let i = between(rand, 1, 4); i > 0; i--) out[at()] = between(rand, 0, 255);
      return out;
    case 1: { // an edge u32 at a random offset (list counts, limits, ids, selectors)
      const o = between(rand, 0, Math.max(0, f.length - 4));
      if (o + 4 <= out.length) new DataView(out.buffer).setUint32(o, EDGE_U32[between(rand, 0, EDGE_U32.length - 1)]!);
      return out;
    }
    case 2: // truncate
      return f.subarray(0, at());
    case 3: { // extend with random bytes
      const tail = Uint8Array.from({ length: between(rand, 1, 40) }, () => between(rand, 0, 255));
      return Uint8Array.from([...f, ...tail]);
    }
    case 4: { // delete a byte
      const o = at();
      return Uint8Array.from([...f.subarray(0, o), ...f.subarray(o + 1)]);
    }
    case 5: { // insert a byte
      const o = at();
      return Uint8Array.from([...f.subarray(0, o), between(rand, 0, 255), ...f.subarray(o)]);
    }
    case 6: // another type byte over this body
      out[0] = TYPE_SPECS[TYPES[between(rand, 0, TYPES.length - 1)]!].code;
      return out;
    default: // splice: this frame's head, another frame's tail
      return Uint8Array.from([...f.subarray(0, at()), ...other.subarray(between(rand, 0, other.length - 1))]);
  }
}

test('p2p fuzz: mutated valid frames decode canonically or fail with a coded invalid error', async () => {
  const c = await chainSample();
  const msgs = sampleMessages(c);
  const bundle = sampleBundleMessages(c);
  // Every type, and the root-blocks request and response with their shard-block bundle (p2p/rootBundle.ts).
  const frames = [...TYPES.map((t) => encodeMessage(msgs[t])), encodeMessage(bundle.request), encodeMessage(bundle.response)];
  const names = [...TYPES, 'GET_ROOT_BLOCKS (bundle)', 'ROOT_BLOCKS (bundle)'];
  const rand = prng(0x5eed_0001);
  const tally: Tally = { decoded: 0, refused: new Map() };
  frames.forEach((f, i) => {
    for (let k = 0; k < MUTATIONS_PER_FRAME; k++) {
      const other = frames[between(rand, 0, frames.length - 1)]!;
      check(mutate(rand, f, other), tally, `${names[i]} mutation ${k}`);
    }
  });
  assert.ok(tally.decoded > 100, `some mutations still decode (${tally.decoded})`);
  for (const code of ['P2P_TRUNCATED', 'P2P_TRAILING', 'P2P_LIST_TOO_LONG', 'P2P_UNKNOWN_TYPE', 'P2P_BAD_ENUM', 'P2P_BAD_SHARD', 'P2P_BRANCH_MISMATCH', 'P2P_BUNDLE_MISMATCH']) {
    assert.ok(tally.refused.has(code), `the fuzz reaches ${code}: ${[...tally.refused.keys()].join(', ')}`);
  }
});

test('p2p fuzz: random bytes behind every type byte', () => {
  const rand = prng(0x5eed_0002);
  const tally: Tally = { decoded: 0, refused: new Map() };
  for (const t of TYPES) {
    for (let k = 0; k < RANDOM_FRAMES_PER_TYPE; k++) {
      const len = between(rand, 0, 64);
      const f = Uint8Array.from({ length: 1 + len }, () => between(rand, 0, 255));
      f[0] = TYPE_SPECS[t].code;
      check(f, tally, `${t} random ${k}`);
    }
  }
  assert.ok(tally.decoded > 0, 'short frames of PING/PONG shape decode');
});
