import { decodeTx, encodeTx, TX_LEN, type Transaction } from '../core/transaction.js';

/**
 * Pre-signed transfers in one flat buffer (177 bytes each, plus the sender's index), taken in
 * signing order: millions fit in a few hundred MB, against ~1 KB per transfer as objects.
 */
export class PresignedQueue {
  private bytes = new Uint8Array(0);
  private senderIx = new Uint32Array(0);
  private head = 0;
  private tail = 0;

  get length(): number {
    return this.tail - this.head;
  }

  /** Room for `n` more (keeps what is still queued). */
  reserve(n: number): void {
    const left = this.length;
    const bytes = new Uint8Array((left + n) * TX_LEN);
    bytes.set(this.bytes.subarray(this.head * TX_LEN, this.tail * TX_LEN));
    const ix = new Uint32Array(left + n);
    ix.set(this.senderIx.subarray(this.head, this.tail));
    this.bytes = bytes;
    this.senderIx = ix;
    this.head = 0;
    this.tail = left;
  }

  push(tx: Transaction, sender: number): void {
    this.bytes.set(encodeTx(tx), this.tail * TX_LEN);
    this.senderIx[this.tail++] = sender;
  }

  /** The next transfer (decoded) and its sender's index, or null when empty. */
  shift(): { tx: Transaction; sender: number } | null {
    if (this.head === this.tail) return null;
    const i = this.head++;
    // decodeTx copies the bytes it keeps: a view is enough here.
    const out = { tx: decodeTx(this.bytes.subarray(i * TX_LEN, (i + 1) * TX_LEN)), sender: this.senderIx[i]! };
    if (this.head === this.tail) this.clear();
    return out;
  }

  clear(): void {
    this.bytes = new Uint8Array(0);
    this.senderIx = new Uint32Array(0);
    this.head = this.tail = 0;
  }
}
