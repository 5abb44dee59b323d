/**
 * A small typed event emitter (DESIGN §14): `on` returns the unsubscribe function, so a
 * subscriber never reaches into the emitter's listener list. Listeners run synchronously in
 * subscription order over a snapshot, so one may unsubscribe (itself or another) while an event
 * is delivered without skipping or repeating anyone.
 */

/** Event name → the listener's argument tuple. */
export type EventMap = { readonly [event: string]: readonly unknown[] };

export type Listener<A extends readonly unknown[]> = (...args: A) => void;

/** The subscribing half, what an emitter's owner hands out. */
export interface EventSource<E extends EventMap> {
  /** Calls `fn` on every `event` until the returned function is called (calling it again is a no-op). */
  on<K extends keyof E & string>(event: K, fn: Listener<E[K]>): () => void;
}

export class Emitter<E extends EventMap> implements EventSource<E> {
  private readonly listeners = new Map<keyof E, Listener<E[keyof E]>[]>();

  on<K extends keyof E & string>(event: K, fn: Listener<E[K]>): () => void {
    const list = this.listeners.get(event) ?? [];
    // One entry per subscription: the same function subscribed twice is called twice.
    const entry: Listener<E[K]> = (...args) => fn(...args);
    list.push(entry as Listener<E[keyof E]>);
    this.listeners.set(event, list);
    return () => {
      const now = this.listeners.get(event);
      const i = now ? now.indexOf(entry as Listener<E[keyof E]>) : -1;
      if (i >= 0) now!.splice(i, 1);
    };
  }

  emit<K extends keyof E & string>(event: K, ...args: E[K]): void {
    const list = this.listeners.get(event);
    if (!list || list.length === 0) return;
    for (const fn of [...list]) (fn as Listener<E[K]>)(...args);
  }

  /** Subscribers of `event` (tests: that a closed subscriber let go). */
  listenerCount(event: keyof E & string): number {
    return this.listeners.get(event)?.length ?? 0;
  }
}
