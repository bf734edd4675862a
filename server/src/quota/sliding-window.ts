/**
 * Counts events per key over the last `windowMs` (a sliding log of timestamps), in memory.
 * Per-minute limits are small (tens of events), so each key keeps at most `limit` stamps and
 * the wait until the next allowed event is exact rather than a fixed-window guess.
 */
export class SlidingWindow {
  readonly windowMs: number;
  #hits = new Map<string, number[]>();
  #lastSweep = 0;

  constructor(windowMs: number) {
    this.windowMs = windowMs;
  }

  /** Events of `key` inside the window ending at `now`. */
  count(key: string, now: number): number {
    return this.#live(key, now)?.length ?? 0;
  }

  /** How long until one more event of `key` fits under `limit`; 0 when it fits now. */
  waitMs(key: string, limit: number, now: number): number {
    const hits = this.#live(key, now);
    if (!hits || hits.length < limit) return 0;
    // The stamp that has to leave the window before there is room for one more.
    const blocking = hits[hits.length - limit] ?? now;
    return Math.max(1, blocking + this.windowMs - now);
  }

  /** Records an event of `key` at `now`. */
  hit(key: string, now: number): void {
    const hits = this.#live(key, now);
    if (hits) hits.push(now);
    else this.#hits.set(key, [now]);
    if (now - this.#lastSweep >= this.windowMs) this.#sweep(now);
  }

  /** Keys with an event in the window (tests and diagnostics). */
  get size(): number {
    return this.#hits.size;
  }

  #live(key: string, now: number): number[] | undefined {
    const hits = this.#hits.get(key);
    if (!hits) return undefined;
    const cutoff = now - this.windowMs;
    let expired = 0;
    while (expired < hits.length && (hits[expired] ?? 0) <= cutoff) expired++;
    if (expired > 0) hits.splice(0, expired);
    if (hits.length === 0) {
      this.#hits.delete(key);
      return undefined;
    }
    return hits;
  }

  /** Drops keys whose events all left the window, so many one-off IPs do not pile up. */
  #sweep(now: number): void {
    this.#lastSweep = now;
    const cutoff = now - this.windowMs;
    for (const [key, hits] of this.#hits) if ((hits.at(-1) ?? 0) <= cutoff) this.#hits.delete(key);
  }
}
