/**
 * The state root (DESIGN §6): an immutable, persistent crit-bit binary trie of accounts keyed by
 * the 20-byte recipient. Updates copy only the path to each changed leaf (structural sharing);
 * node hashes are computed lazily by `root()` and memoised on the immutable nodes, so after a
 * block only the changed paths are rehashed: O(changed accounts × depth). Within one `update`,
 * inner nodes that update created are changed in place (they are not shared yet), so a block's
 * changes copy each shared node once instead of once per change below it.
 *
 * Hash definition (history-independent: the crit-bit trie of a key set is unique):
 * - empty trie          = 32 zero bytes
 * - leaf                = keccak256(0x00 ‖ recipient(20) ‖ balance u256 BE ‖ nonce u64 BE)
 * - inner, split at bit b (0 = MSB of byte 0; bit 0 goes left)
 *                       = keccak256(0x01 ‖ u8(b) ‖ hash(left) ‖ hash(right))
 * Empty accounts (balance 0, nonce 0) are left out: writing one deletes the key.
 */
import { RECIPIENT_LEN } from '../core/address.js';
import { MAX_U256 } from '../core/codec.js';
import { internal, invalid } from '../core/errors.js';
import { keccak256 } from '../core/keccak.js';

export interface Account {
  readonly balance: bigint;
  readonly nonce: number;
}

export const EMPTY_ACCOUNT: Account = Object.freeze({ balance: 0n, nonce: 0 });

/** Domain-separation tags, so a leaf preimage can never be read as an inner one. */
const LEAF_TAG = 0x00;
const INNER_TAG = 0x01;
/** 1 tag + 20 recipient + 32 balance + 8 nonce. */
const LEAF_PREIMAGE_LEN = 1 + RECIPIENT_LEN + 32 + 8;
/** 1 tag + 1 bit index + two 32-byte child hashes. */
const INNER_PREIMAGE_LEN = 1 + 1 + 32 + 32;
const U64_MASK = (1n << 64n) - 1n;

class Leaf {
  readonly size = 1;
  hash: Uint8Array | undefined = undefined;
  constructor(readonly key: Uint8Array, readonly account: Account) {}
}

class Inner {
  size: number;
  hash: Uint8Array | undefined = undefined;
  /** `gen`: the update that created it, which alone may change it in place (0: shared). */
  constructor(readonly bit: number, public left: TrieNode, public right: TrieNode, readonly gen: number) {
    this.size = left.size + right.size;
  }
}

/** The running update's generation (nodes of earlier updates are shared and never change). */
let generation = 0;

/** `n` with `child` on the side of `right`: `n` itself, changed, when this update created it. */
function withChild(n: Inner, right: boolean, child: TrieNode, gen: number): Inner {
  if (n.gen !== gen) return right ? new Inner(n.bit, n.left, child, gen) : new Inner(n.bit, child, n.right, gen);
  if (right) n.right = child;
  else n.left = child;
  n.size = n.left.size + n.right.size;
  return n;
}

type TrieNode = Leaf | Inner;

/** Bit `b` of `key` (0 = most significant bit of byte 0). */
function bitAt(key: Uint8Array, b: number): number {
  return (key[b >>> 3]! >>> (7 - (b & 7))) & 1;
}

/** Index of the first differing bit of two recipients, or −1 if equal. */
function critBit(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < RECIPIENT_LEN; i++) {
    const x = a[i]! ^ b[i]!;
    if (x !== 0) return i * 8 + Math.clz32(x) - 24;
  }
  return -1;
}

function checkRecipient(r: Uint8Array): void {
  if (r.length !== RECIPIENT_LEN) throw invalid('BAD_RECIPIENT', `recipient must be ${RECIPIENT_LEN} bytes, got ${r.length}`);
}

function checkAccount(a: Account): void {
  if (a.balance < 0n || a.balance > MAX_U256) throw internal('ACCOUNT_RANGE', `balance out of u256 range: ${a.balance}`);
  if (!Number.isSafeInteger(a.nonce) || a.nonce < 0) throw internal('ACCOUNT_RANGE', `nonce out of range: ${a.nonce}`);
}

const isEmpty = (a: Account): boolean => a.balance === 0n && a.nonce === 0;

/** A leaf owning copies of its key and account, so callers' buffers may change later. */
function makeLeaf(key: Uint8Array, account: Account): Leaf {
  return new Leaf(Uint8Array.from(key), { balance: account.balance, nonce: account.nonce });
}

/** Inserts or replaces the leaf for `key`; returns `root` itself when nothing changes. */
function insert(root: TrieNode | undefined, key: Uint8Array, account: Account, gen: number): TrieNode {
  if (root === undefined) return makeLeaf(key, account);
  let n: TrieNode = root;
  while (n instanceof Inner) n = bitAt(key, n.bit) === 0 ? n.left : n.right;
  const crit = critBit(key, n.key);
  if (crit < 0 && n.account.balance === account.balance && n.account.nonce === account.nonce) return root;
  // A replaced leaf's key is the same bytes, and leaves never change: it is shared, not copied.
  if (crit < 0) return replaceLeaf(root, key, new Leaf(n.key, { balance: account.balance, nonce: account.nonce }), gen);
  return insertAt(root, key, crit, makeLeaf(key, account), gen);
}

function replaceLeaf(n: TrieNode, key: Uint8Array, leaf: Leaf, gen: number): TrieNode {
  if (n instanceof Leaf) return leaf;
  const right = bitAt(key, n.bit) === 1;
  return withChild(n, right, replaceLeaf(right ? n.right : n.left, key, leaf, gen), gen);
}

/** Splits at `crit` where the path first reaches a leaf or a node splitting at a later bit. */
function insertAt(n: TrieNode, key: Uint8Array, crit: number, leaf: Leaf, gen: number): TrieNode {
  if (n instanceof Leaf || n.bit > crit) {
    return bitAt(key, crit) === 0 ? new Inner(crit, leaf, n, gen) : new Inner(crit, n, leaf, gen);
  }
  const right = bitAt(key, n.bit) === 1;
  return withChild(n, right, insertAt(right ? n.right : n.left, key, crit, leaf, gen), gen);
}

/** Removes `key`; returns `n` itself when the key is absent. */
function remove(n: TrieNode, key: Uint8Array): TrieNode | undefined {
  if (n instanceof Leaf) return critBit(key, n.key) < 0 ? undefined : n;
  const right = bitAt(key, n.bit) === 1;
  const child = right ? n.right : n.left;
  const next = remove(child, key);
  if (next === child) return n;
  if (next === undefined) return right ? n.left : n.right;
  return right ? new Inner(n.bit, n.left, next, 0) : new Inner(n.bit, next, n.right, 0);
}

/** Scratch preimage buffers: hashing is synchronous and children are hashed before they are filled. */
const leafBuf = new Uint8Array(LEAF_PREIMAGE_LEN);
const leafView = new DataView(leafBuf.buffer);
const innerBuf = new Uint8Array(INNER_PREIMAGE_LEN);

function hashLeaf(l: Leaf): Uint8Array {
  leafBuf[0] = LEAF_TAG;
  leafBuf.set(l.key, 1);
  let v = l.account.balance;
  for (let i = 3; i >= 0; i--) {
    leafView.setBigUint64(1 + RECIPIENT_LEN + i * 8, v & U64_MASK);
    v >>= 64n;
  }
  leafView.setBigUint64(1 + RECIPIENT_LEN + 32, BigInt(l.account.nonce));
  return keccak256(leafBuf);
}

function hashOf(n: TrieNode): Uint8Array {
  if (n.hash !== undefined) return n.hash;
  if (n instanceof Leaf) {
    n.hash = hashLeaf(n);
    return n.hash;
  }
  const left = hashOf(n.left);
  const right = hashOf(n.right);
  innerBuf[0] = INNER_TAG;
  innerBuf[1] = n.bit;
  innerBuf.set(left, 2);
  innerBuf.set(right, 34);
  n.hash = keccak256(innerBuf);
  return n.hash;
}

function* walk(n: TrieNode): Generator<[Uint8Array, Account]> {
  const stack: TrieNode[] = [n];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top instanceof Leaf) {
      yield [Uint8Array.from(top.key), top.account];
    } else {
      stack.push(top.right, top.left);
    }
  }
}

export class AccountTrie {
  private static readonly EMPTY = new AccountTrie(undefined);

  private constructor(private readonly top: TrieNode | undefined) {}

  static empty(): AccountTrie {
    return AccountTrie.EMPTY;
  }

  /** O(depth), no allocation. */
  get(recipient: Uint8Array): Account {
    checkRecipient(recipient);
    let n = this.top;
    if (n === undefined) return EMPTY_ACCOUNT;
    while (n instanceof Inner) n = bitAt(recipient, n.bit) === 0 ? n.left : n.right;
    return critBit(recipient, n.key) < 0 ? n.account : EMPTY_ACCOUNT;
  }

  /** A new trie with `changes` applied in order; this one is unchanged. Empty accounts delete. */
  update(changes: Iterable<readonly [Uint8Array, Account]>): AccountTrie {
    let top = this.top;
    const gen = ++generation;
    for (const [recipient, account] of changes) {
      checkRecipient(recipient);
      checkAccount(account);
      if (!isEmpty(account)) top = insert(top, recipient, account, gen);
      else if (top !== undefined) top = remove(top, recipient);
    }
    return top === this.top ? this : new AccountTrie(top);
  }

  /** 32 bytes (shared, do not mutate); memoised per node, so only paths changed since the last call are hashed. */
  root(): Uint8Array {
    return this.top === undefined ? new Uint8Array(32) : hashOf(this.top);
  }

  get size(): number {
    return this.top === undefined ? 0 : this.top.size;
  }

  /** Ascending by recipient (left = bit 0 at every split gives byte order). */
  entries(): IterableIterator<[Uint8Array, Account]> {
    return this.top === undefined ? [][Symbol.iterator]() : walk(this.top);
  }
}
