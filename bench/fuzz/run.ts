/** One fuzz run over every target, `total` inputs split evenly; a summary line and the first failure. */
import type fcModule from 'fast-check';
import { binaryInputs, binaryTargets, checkBinary, checkParam, PARAM_TARGETS, paramInputs, type Samples } from './targets.js';

export interface FuzzResult {
  readonly line: string;
  readonly failure: string | null;
  readonly decoded: number;
  readonly refused: number;
}

export function runFuzz(samples: Samples, total: number, seed: number, fc: typeof fcModule): FuzzResult {
  const binary = binaryTargets(samples);
  const per = Math.max(1, Math.floor(total / (binary.length + PARAM_TARGETS.length)));
  let decoded = 0;
  let refused = 0;
  let failure: string | null = null;
  const t0 = Date.now();
  for (const t of binary) {
    const r = fc.check(fc.property(binaryInputs(t), (input) => {
      const v = checkBinary(t, input);
      if (v === 'decoded') decoded++;
      else if (v === 'refused') refused++;
      else throw new Error(v);
    }), { numRuns: per, seed });
    if (r.failed && !failure) failure = fc.defaultReportMessage(r) ?? `${t.name}: failed`;
  }
  for (const t of PARAM_TARGETS) {
    const r = fc.check(fc.property(paramInputs, (v) => {
      const out = checkParam(t, v);
      if (out === 'parsed') decoded++;
      else if (out === 'refused') refused++;
      else throw new Error(out);
    }), { numRuns: per, seed });
    if (r.failed && !failure) failure = fc.defaultReportMessage(r) ?? `${t.name}: failed`;
  }
  const targets = binary.length + PARAM_TARGETS.length;
  const line = `fuzz inputs=${per * targets} targets=${targets} (binary ${binary.length}, rpc params ${PARAM_TARGETS.length}) seed=${seed} ` +
    `accepted=${decoded} refused=${refused} violations=${failure ? 'yes' : 0} seconds=${((Date.now() - t0) / 1000).toFixed(1)}`;
  return { line, failure, decoded, refused };
}
