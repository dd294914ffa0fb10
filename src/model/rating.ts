/**
 * The visitor's rating of a finished chat, as JivoChat's `chat_finished` webhook carries it: good or bad, with an
 * optional comment. Apart from limits.ts so that only the code that needs it (the window chunk, the server, the
 * console) carries it, not the launcher.
 */
import { isStr } from './guards.js';

export type Rate = 'good' | 'bad';

export const RATES: readonly Rate[] = ['good', 'bad'];

/** The longest comment, in UTF-16 code units. */
export const RATING_COMMENT_MAX = 1000;

/** A rating a visitor gave a chat: `chat` is the chat's number with this visitor (1 for the first). */
export interface ChatRating {
  chat: number;
  rate: Rate;
  comment: string;
  /** Milliseconds since the epoch, the server's clock. */
  at: number;
}

export const isRate = (v: unknown): v is Rate => v === 'good' || v === 'bad';

/** The comment trimmed, or null when it is not a string of at most RATING_COMMENT_MAX units. */
export function checkComment(v: unknown): string | null {
  return isStr(v, RATING_COMMENT_MAX) ? v.trim() : null;
}
