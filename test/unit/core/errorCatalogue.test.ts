import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  codeInfo, codesWhere, ERROR_CODES, ERROR_FAMILIES, isKeepInPool, isRpcParamError, isUsageError, type ErrorCode,
} from '../../../src/core/errors/catalogue.js';
import { check, internal, invalid, notYet } from '../../../src/core/errors.js';

const CLASSES: readonly string[] = ['invalid', 'notYet', 'internal'];

test('error catalogue: every code is in exactly one family', () => {
  const seen = new Map<string, string>();
  for (const [family, table] of Object.entries(ERROR_FAMILIES)) {
    for (const code of Object.keys(table)) {
      assert.equal(seen.get(code), undefined, `${code} is in ${seen.get(code)} and ${family}`);
      seen.set(code, family);
    }
  }
  assert.deepEqual([...seen.keys()].sort(), Object.keys(ERROR_CODES).sort());
});

test('error catalogue: every class is one of the three, and a second class differs from the first', () => {
  for (const [code, spec] of Object.entries(ERROR_CODES) as [ErrorCode, { cls: string; alsoCls?: string }][]) {
    assert.ok(CLASSES.includes(spec.cls), `${code}: ${spec.cls}`);
    if (spec.alsoCls !== undefined) {
      assert.ok(CLASSES.includes(spec.alsoCls), `${code}: ${spec.alsoCls}`);
      assert.notEqual(spec.alsoCls, spec.cls, code);
    }
  }
});

test("error catalogue: known codes keep today's class", () => {
  const cases: ReadonlyArray<readonly [ErrorCode, string]> = [
    ['BLOCK_PARENT_UNKNOWN', 'notYet'], ['ROOT_PARENT_UNKNOWN', 'notYet'], ['XSHARD_LIST_MISSING', 'notYet'],
    ['SIG_RECOVER_FAILED', 'invalid'], ['TX_BAD_NONCE', 'invalid'], ['CODEC_SHORT', 'invalid'], ['BAD_FLAG', 'invalid'],
    ['P2P_TIMEOUT', 'invalid'], ['P2P_TOO_MANY_OUTSTANDING', 'notYet'],
    ['PORT_IN_USE', 'internal'], ['DB_CORRUPT', 'internal'], ['RPC_UNREACHABLE', 'internal'], ['INTERNAL', 'internal'],
  ];
  for (const [code, cls] of cases) assert.equal(codeInfo(code)?.cls, cls, code);
  assert.equal(codeInfo('NO_SUCH_CODE'), undefined);
  assert.equal(codeInfo('toString'), undefined, 'own entries only');
});

test('error catalogue: the helpers make errors of their class', () => {
  assert.deepEqual(invalid('TX_BAD_NONCE', 'x').toObject(), { code: 'TX_BAD_NONCE', cls: 'invalid', message: 'TX_BAD_NONCE: x' });
  assert.equal(notYet('BLOCK_PARENT_UNKNOWN', 'x').cls, 'notYet');
  assert.equal(internal('DB_CLOSED', 'x').cls, 'internal');
  // Codes thrown with two classes today.
  assert.equal(invalid('RPC_BAD_REPLY', 'x').cls, 'invalid');
  assert.equal(internal('RPC_BAD_REPLY', 'x').cls, 'internal');
  assert.throws(() => check(false, 'BLOCK_BAD_HEIGHT', 'x'), { code: 'BLOCK_BAD_HEIGHT', cls: 'invalid' });
});

test('error catalogue: metadata sets', () => {
  assert.deepEqual(codesWhere((s) => s.keepInPool === true).sort(),
    ['TX_BAD_NONCE', 'TX_BLOCK_GAS_EXCEEDED', 'TX_INSUFFICIENT_BALANCE', 'TX_XSHARD_NOT_READY']);
  assert.deepEqual(codesWhere((s) => s.usage === true).sort(), ['BAD_CONFIG', 'BAD_FLAG']);
  assert.deepEqual(codesWhere((s) => s.rpcParam === true).sort(), [
    'BAD_ADDRESS', 'BAD_BRANCH', 'BAD_HEX', 'BAD_LENGTH', 'CODEC_LENGTH', 'CODEC_OVERSIZE', 'CODEC_RANGE', 'CODEC_SHORT',
    'CODEC_TRAILING', 'UNKNOWN_CHAIN',
  ]);
  assert.ok(isKeepInPool('TX_BAD_NONCE') && !isKeepInPool('TX_NONCE_TOO_LOW'));
  assert.ok(isUsageError('BAD_FLAG') && !isUsageError('TIMEOUT'));
  assert.ok(isRpcParamError('BAD_HEX') && !isRpcParamError('TX_BAD_NONCE'));
});

test('error catalogue: a misspelt code or a wrong class does not compile', () => {
  // @ts-expect-error: no such code (TX_BAD_NONCE)
  assert.equal(invalid('TX_BAD_NONSE', 'x').code, 'TX_BAD_NONSE');
  // @ts-expect-error: BLOCK_PARENT_UNKNOWN is notYet, not invalid
  assert.equal(invalid('BLOCK_PARENT_UNKNOWN', 'x').cls, 'invalid');
  // @ts-expect-error: DB_CORRUPT is internal
  assert.throws(() => check(false, 'DB_CORRUPT', 'x'));
});
