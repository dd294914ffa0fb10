/** The JivoChat API's result shape: `{result: 'ok'}` or `{result: 'fail', reason}`. */
export type ApiResult = { result: 'ok' } | { result: 'fail'; reason: string };

import type { ChatMode } from '../model/types.js';

export type { ChatMode };

/** What `chatMode()` returns: `{result}` for the documented example, and the bare word from `toString()`. */
export type ChatModeResult = { result: ChatMode };

export function chatModeResult(result: ChatMode): ChatModeResult {
  return Object.defineProperty({ result }, 'toString', { value: () => result, enumerable: false });
}

export const ok = (): ApiResult => ({ result: 'ok' });
export const fail = (reason: string): ApiResult => ({ result: 'fail', reason });

/** A short, safe description of a bad argument for an error message; never calls the value's own toString. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object'
    ? 'an object'
    : typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : `a ${typeof value}`;
}
