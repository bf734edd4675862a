/**
 * A token bucket: up to `burst` frames at once, refilled at `perSecond`. A widget sends a few
 * frames a minute; a client past this is flooding.
 */
export class TokenBucket {
  #tokens: number;
  #last: number;
  #burst: number;
  #perMs: number;
  #now: () => number;

  constructor({ burst, perSecond, now = () => performance.now() }: { burst: number; perSecond: number; now?: () => number }) {
    this.#burst = burst;
    this.#tokens = burst;
    this.#perMs = perSecond / 1000;
    this.#now = now;
    this.#last = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}
