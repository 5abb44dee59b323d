/**
 * A mutable view over an immutable AccountTrie for executing one block: reads fall through to
 * the base trie, writes collect in a map, `commit` produces the post-state trie and the diff
 * (the changed accounts, which the store keeps per block).
 */
import { keyOf, type Bytes } from '../core/bytes.js';
import { AccountTrie, type Account } from './accountTrie.js';

export interface AccountChange {
  readonly recipient: Bytes;
  readonly account: Account;
}

export class StateOverlay {
  private readonly changes = new Map<string, AccountChange>();

  constructor(readonly base: AccountTrie) {}

  /** `key`: `keyOf(recipient)` when the caller has it already. */
  get(recipient: Bytes, key: string = keyOf(recipient)): Account {
    return this.changes.get(key)?.account ?? this.base.get(recipient);
  }

  set(recipient: Bytes, account: Account, key: string = keyOf(recipient)): void {
    this.changes.set(key, { recipient, account });
  }

  credit(recipient: Bytes, amount: bigint): void {
    if (amount === 0n) return;
    const key = keyOf(recipient);
    const a = this.get(recipient, key);
    this.set(recipient, { balance: a.balance + amount, nonce: a.nonce }, key);
  }

  diff(): AccountChange[] {
    return [...this.changes.values()];
  }

  commit(): { trie: AccountTrie; diff: AccountChange[] } {
    const diff = this.diff();
    return { trie: this.base.update(diff.map((c) => [c.recipient, c.account] as const)), diff };
  }
}
