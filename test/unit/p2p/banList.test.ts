import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { BanList, dialAddress } from '../../../src/p2p/banList.js';
import { canonicalHost, hostOf, isLoopback } from '../../../src/core/netAddress.js';

test('ban list: a non-loopback peer is banned by address too, so a fresh node id from it is refused until the ban ends', () => {
  let now = 1_000;
  const bans = new BanList(() => now);
  const id = randomBytes(32);
  bans.ban({ nodeId: id, dialAddress: '10.0.0.7:38291', remoteAddress: '10.0.0.7:51234' }, 60_000);
  assert.ok(bans.isBanned(id));
  assert.ok(bans.isBanned('10.0.0.7:38291'));
  assert.ok(bans.isHostBanned('10.0.0.7'), 'any connection from its IP');
  assert.ok(bans.isHostBanned('::ffff:10.0.0.7'), 'the same IP as a dual-stack socket reports it');
  assert.ok(!bans.isHostBanned('10.0.0.8'));
  now += 59_999;
  assert.ok(bans.isHostBanned('10.0.0.7') && bans.isBanned(id));
  now += 1;
  assert.ok(!bans.isHostBanned('10.0.0.7') && !bans.isBanned(id) && !bans.isBanned('10.0.0.7:38291'), 'both expire with the ban');
});

test('ban list: a loopback peer is banned by id only; a ban without an address (an incompatible peer) leaves its IP alone', () => {
  const now = 0;
  const bans = new BanList(() => now);
  const id = randomBytes(32);
  bans.ban({ nodeId: id, remoteAddress: '127.0.0.1:40000' }, 300_000);
  bans.ban({ nodeId: randomBytes(32), remoteAddress: '::1:40000' }, 300_000);
  bans.ban({ nodeId: randomBytes(32), remoteAddress: '[::1]:40000' }, 300_000);
  bans.ban({ nodeId: randomBytes(32), remoteAddress: '::ffff:127.0.0.2:40000' }, 300_000);
  assert.ok(bans.isBanned(id));
  assert.ok(!bans.isHostBanned('127.0.0.1') && !bans.isHostBanned('::1') && !bans.isHostBanned('::ffff:127.0.0.2'));
  bans.ban({ nodeId: randomBytes(32), dialAddress: '192.168.1.5:38291' }, 300_000);
  assert.ok(!bans.isHostBanned('192.168.1.5') && bans.isBanned('192.168.1.5:38291'));
});

test('ban list: a later, shorter ban does not shorten a longer one', () => {
  let now = 0;
  const bans = new BanList(() => now);
  bans.ban({ remoteAddress: '10.1.1.1:1' }, 300_000);
  bans.ban({ remoteAddress: '10.1.1.1:2' }, 60_000);
  now = 100_000;
  assert.ok(bans.isHostBanned('10.1.1.1'));
});

test('net addresses: loopback, canonical hosts, hosts of addresses, and where a peer can be dialled', () => {
  assert.ok(isLoopback('127.0.0.1') && isLoopback('::1') && isLoopback('::ffff:127.0.0.5') && isLoopback('localhost'));
  assert.ok(!isLoopback('10.0.0.7') && !isLoopback('::ffff:10.0.0.7') && !isLoopback('0.0.0.0'));
  assert.equal(canonicalHost('::ffff:10.0.0.7'), '10.0.0.7');
  assert.equal(canonicalHost('fe80::1'), 'fe80::1');
  assert.equal(canonicalHost('[::1]'), '::1');
  assert.equal(hostOf('10.0.0.7:38291'), '10.0.0.7');
  assert.equal(hostOf('::ffff:10.0.0.7:5'), '10.0.0.7');
  assert.equal(dialAddress({ outbound: true, address: '10.0.0.7:38291' }), '10.0.0.7:38291');
  assert.equal(dialAddress({ outbound: false, address: '10.0.0.7:51234', remoteHello: { listenPort: 38291 } }), '10.0.0.7:38291');
  assert.equal(dialAddress({ outbound: false, address: '10.0.0.7:51234', remoteHello: { listenPort: 0 } }), undefined);
});
