/**
 * Port flags and `--ports-offset N` (issue 15): the offset is added to every port left at its
 * default (P2P 38291, RPC 38391, private RPC 38491), so a second node on one machine needs one
 * flag (`--ports-offset 1`); a port given explicitly is taken as it is, and 0 binds any free port.
 */
import { invalid } from '../core/errors.js';

const MAX_PORT = 65_535;
/** Offsets stay below the gap to the next default port (38291 → 38391): no two defaults collide. */
export const MAX_PORTS_OFFSET = 99;

export interface PortsOffsetFlags {
  portsOffset?: string;
}

export function portsOffsetOf(f: PortsOffsetFlags): number {
  if (f.portsOffset === undefined) return 0;
  const n = Number(f.portsOffset);
  if (!Number.isInteger(n) || n < 0 || n > MAX_PORTS_OFFSET) {
    throw invalid('BAD_FLAG', `--ports-offset must be an integer 0..${MAX_PORTS_OFFSET}, got '${f.portsOffset}'`);
  }
  return n;
}

/** A port flag's value: as given (0..65535), or `def + offset` when not given. */
export function portOf(v: string | undefined, name: string, def: number, offset: number): number {
  if (v === undefined) return def + offset;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > MAX_PORT) throw invalid('BAD_FLAG', `--${name} must be a port number 0..${MAX_PORT}, got '${v}'`);
  return n;
}
