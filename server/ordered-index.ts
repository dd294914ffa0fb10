/**
 * Keys kept in order of a time (then of the key itself, so that the order is total), read newest first from any
 * point: the order the agent console's lists are paged in (console-pages.ts). The state (state.ts) keeps one for
 * visitors by last activity, one for offline messages and one for call-back requests.
 *
 * The entries live in a list of sorted chunks of at most 2 048, so a key that moves (a visitor who writes again) costs
 * a binary search and a splice of one chunk, not of the whole list, and reading a page never sorts anything. A key
 * that moves to the newest place while it already is the newest (a visitor's messages, one after another) is updated
 * in place.
 */

export interface Entry<T> {
  readonly at: number;
  readonly key: string;
  readonly value: T;
}

/** A point in the order: the entries strictly older than it come after it when reading newest first. */
export interface Position {
  at: number;
  key: string;
}

/** A chunk is split in two halves of this size when it outgrows twice this. */
const CHUNK = 1024;

/** Whether `e` comes before (at, key). */
const less = (e: Position, at: number, key: string): boolean => e.at < at || (e.at === at && e.key < key);

export class OrderedIndex<T> {
  readonly #entries = new Map<string, Entry<T>>();
  /** Non-empty chunks, each ascending, in ascending order. */
  #chunks: Array<Array<Entry<T>>> = [];

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): Entry<T> | undefined {
    return this.#entries.get(key);
  }

  /** Set between `bulk()` and `settle()`: entries are only noted, and ordered once at the end. */
  #bulk = false;

  /**
   * Until `settle()`, `set`, `touch` and `delete` only note each key's latest place, and `newestFirst` must not be
   * called. For replaying a history at start-up: a visitor's every message moves it, and one sort at the end costs
   * less than a million moves.
   */
  bulk(): void {
    this.#bulk = true;
  }

  /** Orders what was noted since `bulk()` (one sort of every entry), and goes back to keeping the order as it changes. */
  settle(): void {
    if (!this.#bulk) return;
    this.#bulk = false;
    const all = [...this.#entries.values()].sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.#chunks = [];
    for (let i = 0; i < all.length; i += CHUNK) this.#chunks.push(all.slice(i, i + CHUNK));
  }

  /** Puts `key` at time `at` (moving it if it was elsewhere), with `value`. */
  set(key: string, at: number, value: T): void {
    const old = this.#entries.get(key);
    const entry: Entry<T> = { at, key, value };
    if (this.#bulk) {
      this.#entries.set(key, entry);
      return;
    }
    if (old) {
      const last = this.#chunks.at(-1)!;
      // Already the newest and staying so: no move.
      if (last.at(-1) === old && at >= old.at) {
        last[last.length - 1] = entry;
        this.#entries.set(key, entry);
        return;
      }
      this.#remove(old);
    }
    this.#entries.set(key, entry);
    this.#insert(entry);
  }

  /** Moves `key` to `at` only if that is later than where it is (activity only goes forward); adds it if new. */
  touch(key: string, at: number, value: T): void {
    const old = this.#entries.get(key);
    if (old && old.at >= at) {
      if (old.value !== value) this.set(key, old.at, value);
      return;
    }
    this.set(key, at, value);
  }

  delete(key: string): void {
    const old = this.#entries.get(key);
    if (!old) return;
    this.#entries.delete(key);
    if (!this.#bulk) this.#remove(old);
  }

  /** The entries from the newest down, starting strictly after `after` (from the newest when null). */
  *newestFirst(after: Position | null = null): Generator<Entry<T>> {
    const chunks = this.#chunks;
    if (!chunks.length) return;
    let ci: number;
    let i: number;
    if (after === null) {
      ci = chunks.length - 1;
      i = chunks[ci].length - 1;
    } else {
      ci = this.#chunkFor(after.at, after.key);
      i = lowerBound(chunks[ci], after.at, after.key) - 1;
    }
    for (; ci >= 0; ci--, i = ci >= 0 ? chunks[ci].length - 1 : -1) {
      const chunk = chunks[ci];
      for (; i >= 0; i--) yield chunk[i];
    }
  }

  /** The chunk that holds (at, key), or where it would go: the first whose last entry is not before it. */
  #chunkFor(at: number, key: string): number {
    const chunks = this.#chunks;
    let lo = 0;
    let hi = chunks.length - 1;
    if (less(chunks[hi].at(-1)!, at, key)) return hi;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (less(chunks[mid].at(-1)!, at, key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #insert(entry: Entry<T>): void {
    const chunks = this.#chunks;
    if (!chunks.length) {
      chunks.push([entry]);
      return;
    }
    const ci = this.#chunkFor(entry.at, entry.key);
    const chunk = chunks[ci];
    chunk.splice(lowerBound(chunk, entry.at, entry.key), 0, entry);
    if (chunk.length > 2 * CHUNK) chunks.splice(ci, 1, chunk.slice(0, CHUNK), chunk.slice(CHUNK));
  }

  #remove(entry: Entry<T>): void {
    const chunks = this.#chunks;
    const ci = this.#chunkFor(entry.at, entry.key);
    const chunk = chunks[ci];
    const i = lowerBound(chunk, entry.at, entry.key);
    if (chunk[i] !== entry) throw new Error(`ordered index lost ${entry.key}`);
    chunk.splice(i, 1);
    if (!chunk.length) chunks.splice(ci, 1);
  }
}

/** The first index in `chunk` whose entry is not before (at, key). */
function lowerBound<T>(chunk: Array<Entry<T>>, at: number, key: string): number {
  let lo = 0;
  let hi = chunk.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (less(chunk[mid], at, key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** `<at>~<key>`: a place in the order as a string (a console's cursor; `~` is in neither a time nor a key). */
export const positionCursor = (p: Position): string => `${p.at}~${p.key}`;

/** The place a `positionCursor` names, or null when the string is not one. */
export function parsePosition(cursor: string): Position | null {
  const cut = cursor.indexOf('~');
  const at = Number(cursor.slice(0, cut));
  const key = cursor.slice(cut + 1);
  if (cut < 1 || !Number.isFinite(at) || String(at) !== cursor.slice(0, cut) || !/^[\w.-]{1,200}$/.test(key))
    return null;
  return { at, key };
}
