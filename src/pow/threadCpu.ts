/**
 * CPU time of the calling thread (Linux: /proc/thread-self/stat), so a benchmark can tell how much
 * of the wall time its threads actually ran: on a shared machine wall-time rates drop while the
 * rate per CPU-second does not. Null where unavailable. Node 20 has no per-thread cpuUsage.
 */
import { readFileSync, readlinkSync } from 'node:fs';

/** Clock ticks per second of /proc times (USER_HZ): 100 on every mainstream Linux build. */
const USER_HZ = 100;
/** utime and stime are fields 14 and 15 (1-based) of stat; counted after the ")" that ends comm. */
const UTIME_AFTER_COMM = 11;

export function threadCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[UTIME_AFTER_COMM]) + Number(f[UTIME_AFTER_COMM + 1]);
    return Number.isFinite(ticks) ? (ticks * 1000) / USER_HZ : null;
  } catch {
    return null;
  }
}

/** The calling thread's OS thread id (Linux: the target of /proc/thread-self, "PID/task/TID"); null elsewhere. */
export function osThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) ? tid : null;
  } catch {
    return null;
  }
}

/** A thread's CPU time in ns from its schedstat file (the first field); null when it cannot be read (not Linux, or the thread ended). */
export function schedstatNs(path: string): number | null {
  try {
    const ns = Number(readFileSync(path, 'utf8').split(' ')[0]);
    return Number.isFinite(ns) ? ns : null;
  } catch {
    return null;
  }
}

/** CPU time of the calling thread in ms at ns resolution (Linux: /proc/thread-self/schedstat), else wall time from `performance.now`. */
export function threadCpuPreciseMs(): number {
  const ns = schedstatNs('/proc/thread-self/schedstat');
  return ns === null ? performance.now() : ns / 1e6;
}
