/** Token buckets: each socket may spend `burst` frames of a kind at once, refilled at `burst` per `windowMs`. */

export interface Rate {
  /** How many may be spent at once (the bucket's size). */
  burst: number;
  /** The time in which a spent bucket fills up again, in milliseconds. */
  windowMs: number;
}

/** The limits of one socket: every frame spends a `frames` token, messages and typing one of their own as well. */
export interface RateLimits {
  frames: Rate;
  /** `message` and `offline_message` frames that store something (a resend of a known id is free); for widgets this
   * counts per visitor, whichever of its sockets the frame comes from. */
  messages: Rate;
  typing: Rate;
}

export const VISITOR_RATES: RateLimits = {
  frames: { burst: 30, windowMs: 10_000 },
  messages: { burst: 10, windowMs: 10_000 },
  typing: { burst: 5, windowMs: 1_000 },
};

/** A console does more than a widget: it replies in many chats and marks them read. */
export const AGENT_RATES: RateLimits = {
  frames: { burst: 60, windowMs: 10_000 },
  messages: { burst: 20, windowMs: 10_000 },
  typing: { burst: 10, windowMs: 1_000 },
};

export class TokenBucket {
  readonly #rate: Rate;
  readonly #now: () => number;
  #tokens: number;
  #at: number;

  constructor(rate: Rate, now: () => number = Date.now) {
    this.#rate = rate;
    this.#now = now;
    this.#tokens = rate.burst;
    this.#at = now();
  }

  /** The tokens there are now (a fraction while refilling). */
  available(): number {
    const now = this.#now();
    const { burst, windowMs } = this.#rate;
    this.#tokens = Math.min(burst, this.#tokens + ((now - this.#at) * burst) / windowMs);
    this.#at = now;
    return this.#tokens;
  }

  /** Spends one token; false (and nothing spent) when the bucket is empty. */
  take(): boolean {
    if (this.available() < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

export interface Buckets {
  frames: TokenBucket;
  messages: TokenBucket;
  typing: TokenBucket;
}

export const buckets = (limits: RateLimits): Buckets => ({
  frames: new TokenBucket(limits.frames),
  messages: new TokenBucket(limits.messages),
  typing: new TokenBucket(limits.typing),
});

/** Buckets by key (an IP, a visitor, a site), forgetting the ones that have filled up again so the map stays small. */
export class KeyedBuckets {
  readonly #rate: Rate;
  readonly #buckets = new Map<string, TokenBucket>();
  constructor(rate: Rate) {
    this.#rate = rate;
  }
  #bucket(key: string): TokenBucket {
    let b = this.#buckets.get(key);
    if (!b) {
      if (this.#buckets.size > 100_000) this.prune();
      this.#buckets.set(key, (b = new TokenBucket(this.#rate)));
    }
    return b;
  }
  /** Spends one of `key`'s tokens; false (nothing spent) when its bucket is empty. */
  take(key: string): boolean {
    return this.#bucket(key).take();
  }
  /** Whether `key` has no whole token left (without spending one). */
  empty(key: string): boolean {
    return this.#buckets.has(key) && this.#bucket(key).available() < 1;
  }
  prune(): void {
    for (const [key, b] of this.#buckets) if (b.available() >= this.#rate.burst) this.#buckets.delete(key);
  }
}
