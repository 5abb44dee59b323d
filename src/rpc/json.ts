/** JSON values as the RPC layer produces them (results are built from these, never from bigints). */
export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
