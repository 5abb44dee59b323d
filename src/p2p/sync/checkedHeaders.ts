/**
 * Root headers a sync task checked, kept for the next task (issue 12: a peer switch keeps
 * validated work; go-ethereum's block pool keeps its sections across peers; the bodies are
 * carriedBodies.ts'). A retargeted task's successor asks the new peer for its headers from the
 * common ancestor again (that is how it learns the new peer's chain), but a header whose hash a
 * task already checked is not put through the header rules again: the hash pins every field they
 * read (parent, height, total difficulty, difficulty, time, seal), the parent it links to is
 * checked as before, and a rule that held still holds (the future-time bound only relaxes, unless
 * the clock steps back). Linkage, height and TD are still checked on every header (they are cheap;
 * the seal is not, for a real proof of work). The root chain checks every header again, seal
 * included, when its block is imported: what this saves is the repeated check before bodies are
 * asked for, and nothing it skips goes unchecked. Only headers of a batch that passed whole are
 * kept. Bounded: past `capacity` headers the oldest go; cleared when a task reaches its tip.
 */
import { keyOf } from '../../core/bytes.js';
import { rootHeaderHash, type RootHeader } from '../../core/rootBlock.js';
import { BoundedSet } from '../boundedSet.js';

export class CheckedHeaders {
  private readonly keys: BoundedSet;

  constructor(capacity: number) {
    this.keys = new BoundedSet(capacity);
  }

  get size(): number {
    return this.keys.size;
  }

  /** `headers` passed every header rule. */
  add(headers: readonly RootHeader[]): void {
    for (const h of headers) {
      const k = keyOf(rootHeaderHash(h));
      this.keys.delete(k); // re-added as the newest
      this.keys.add(k);
    }
  }

  has(h: RootHeader): boolean {
    return this.keys.has(keyOf(rootHeaderHash(h)));
  }

  clear(): void {
    this.keys.clear();
  }
}
