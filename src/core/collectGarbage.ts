/**
 * A full garbage collection when the process runs with `--expose-gc` (a V8 flag, so worker
 * threads get it too), else nothing. Memory figures taken right after it show live data only:
 * V8 lets garbage pile up to a large heap before collecting, so heap "used" alone overstates
 * what a thread keeps.
 */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (typeof gc !== 'function') return false;
  gc();
  return true;
}
