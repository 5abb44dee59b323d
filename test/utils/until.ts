/** Waiting in integration tests: a condition polled until it holds, failing the test with what was awaited once `ms` pass. */
import assert from 'node:assert/strict';

/** Polls `cond` every `pollMs` until it holds; fails with "timed out waiting for `what`" after `ms`. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, ms: number, pollMs: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
