/** The late-bound P2P view: empty (not syncing, no peers) until filled, and emptied by its own detach only. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { P2pSlot } from '../../../src/cluster/p2pView.js';

test('P2pSlot: empty, filled, then emptied by the detach of the view attached', () => {
  const slot = new P2pSlot();
  assert.equal(slot.attached, false);
  assert.equal(slot.syncing(), false);
  assert.deepEqual(slot.peers(), []);
  let syncing = true;
  const detach = slot.attach({ syncing: () => syncing, peers: () => ['127.0.0.1:1'], peerInfo: () => [] });
  assert.equal(slot.syncing(), true);
  syncing = false;
  assert.equal(slot.syncing(), false, 'read live, not copied');
  assert.deepEqual(slot.peers(), ['127.0.0.1:1']);
  const detachNewer = slot.attach({ syncing: () => true, peers: () => [], peerInfo: () => [] });
  detach(); // an older view's detach leaves the newer one
  assert.equal(slot.syncing(), true);
  detachNewer();
  assert.equal(slot.attached, false);
  assert.deepEqual(slot.peers(), []);
});
