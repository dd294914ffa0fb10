/** Type guards for values from outside (the wire, storage, the page): booleans only, never a message. */
import { LIMITS } from './limits.js';

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isStr = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
/** 1-64 letters, digits, `_` or `-`: message and visitor ids. */
export const isId = (v: unknown): v is string => isStr(v, LIMITS.id) && /^[\w-]{1,64}$/.test(v);
export const isSeq = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
/** A time a Date can hold (±8.64e15 ms), so rendering or storing it cannot fail. */
export const isTime = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 8.64e15;

/** A JSON-like object: not an array, and made by an object literal (of any realm) or `Object.create(null)`. */
export function isPlainObject(v: unknown): v is Obj {
  if (!isObj(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === null || Object.getPrototypeOf(proto) === null;
}

/** An absolute http or https URL (no relative links: the agent's console is on another origin). */
export function isHttpUrl(v: string): boolean {
  try {
    const url = new URL(v);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** UTF-8 size of a string without allocating it (the frame limit counts bytes, as the socket does). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      // A surrogate pair: one 4-byte character. A lone surrogate is encoded as U+FFFD, 3 bytes, like any other unit.
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
