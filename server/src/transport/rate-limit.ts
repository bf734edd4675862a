/** Shared, so a bucket (two per socket) does not carry a closure of its own. */
const clock = () => performance.now();

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

  constructor({ burst, perSecond, now = clock }: { burst: number; perSecond: number; now?: () => number }) {
    this.#burst = burst;
    this.#tokens = burst;
    this.#perMs = perSecond / 1000;
    this.#now = now;
    this.#last = now();
  }

  /** Takes one token; false when the bucket is empty. */
  take(): boolean {
    this.#refill();
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /**
   * How long until one token is available: 0 when it is now. Work whose size is only known once
   * it is done is admitted while this is 0 and paid for afterwards with `charge`.
   */
  msUntilToken(): number {
    this.#refill();
    return this.#tokens >= 1 ? 0 : Math.ceil((1 - this.#tokens) / this.#perMs);
  }

  /** Takes `n` tokens, going into debt if needed: later work waits until the debt is paid. */
  charge(n: number): void {
    this.#refill();
    this.#tokens -= n;
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#perMs);
    this.#last = now;
  }
}
