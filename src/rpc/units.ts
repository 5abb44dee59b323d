/** Token amounts for people: 10^18 smallest units per token (QuarkChain's wei per QKC). */
import { ONE_TOKEN } from '../core/config.js';
import { invalid } from '../core/errors.js';
import { NATIVE_TOKEN_STR } from './encode.js';

const DECIMALS = 18;

/** `1234.5` for 1234.5 × 10^18 units (no trailing zeros). */
export function formatTokens(units: bigint): string {
  const whole = units / ONE_TOKEN;
  const frac = (units % ONE_TOKEN).toString().padStart(DECIMALS, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : `${whole}`;
}

/** An amount: an integer in smallest units (`1000`), or tokens with the suffix (`1.5qkc`). */
export function parseAmount(s: string, name: string): bigint {
  const m = /^(\d+)(?:\.(\d+))?\s*([a-zA-Z]*)$/.exec(s.trim());
  if (!m) throw invalid('BAD_FLAG', `--${name}: expected an integer in smallest units or an amount like 1.5${NATIVE_TOKEN_STR.toLowerCase()}, got '${s}'`);
  const [, whole, frac = '', unit] = m;
  if (!unit) {
    if (frac) throw invalid('BAD_FLAG', `--${name}: a fraction needs the ${NATIVE_TOKEN_STR.toLowerCase()} suffix (amounts without it are in smallest units)`);
    return BigInt(whole!);
  }
  if (unit.toUpperCase() !== NATIVE_TOKEN_STR) throw invalid('BAD_FLAG', `--${name}: unknown unit '${unit}' (use ${NATIVE_TOKEN_STR.toLowerCase()})`);
  if (frac.length > DECIMALS) throw invalid('BAD_FLAG', `--${name}: at most ${DECIMALS} decimals`);
  return BigInt(whole!) * ONE_TOKEN + BigInt(frac.padEnd(DECIMALS, '0') || '0');
}
