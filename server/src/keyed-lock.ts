/**
 * Runs async sections one at a time per key (a thread, an owner), in call order: what a
 * transaction did when reads and writes were synchronous, for a read-decide-write section
 * whose reads and write are separate storage calls.
 */
export class KeyedLock {
  #tails = new Map<string, Promise<void>>();

  /** Runs `section` once every earlier section of `key` has settled. */
  async run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key);
    let release!: () => void;
    const tail = new Promise<void>((resolve) => (release = resolve));
    const chained = previous ? previous.then(() => tail) : tail;
    this.#tails.set(key, chained);
    try {
      if (previous) await previous;
      return await section();
    } finally {
      release();
      if (this.#tails.get(key) === chained) this.#tails.delete(key);
    }
  }
}
