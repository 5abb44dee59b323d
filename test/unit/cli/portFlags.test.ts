import { test } from 'node:test';
import assert from 'node:assert/strict';
import { p2pOptionsFromFlags } from '../../../src/cli/p2pFlags.js';
import { rpcOptionsFromFlags } from '../../../src/cli/rpcFlags.js';
import { ChainError } from '../../../src/core/errors.js';

const log = (): void => undefined;
const ports = (f: { portsOffset?: string; p2pPort?: string; rpcPort?: string; rpcPrivatePort?: string }): number[] => {
  const p2p = p2pOptionsFromFlags({ p2p: true, peer: [], ...f }, log)!;
  const rpc = rpcOptionsFromFlags({ rpc: true, rpcHost: '127.0.0.1', ...f }, 0, log)!;
  return [p2p.port, rpc.port, rpc.privatePort!];
};

test('--ports-offset N moves every default port by N; explicit ports (0 included) stay as given', () => {
  assert.deepEqual(ports({}), [38291, 38391, 38491]);
  assert.deepEqual(ports({ portsOffset: '1' }), [38292, 38392, 38492]);
  assert.deepEqual(ports({ portsOffset: '2', rpcPort: '0', p2pPort: '40000' }), [40000, 0, 38493]);
  for (const bad of ['-1', '100', '1.5', 'x']) {
    assert.throws(() => ports({ portsOffset: bad }), (e: unknown) => e instanceof ChainError && e.code === 'BAD_FLAG', bad);
  }
});
