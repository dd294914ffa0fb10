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
  /** `message` and `offline_message` frames that store something (a resend of a known id is free). */
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
