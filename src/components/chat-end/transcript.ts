import type { ChatEndStrings } from '../../i18n/catalog.js';
import type { ChatMessage } from '../../state/types.js';

/**
 * The conversation as plain text, for the visitor to keep: a title line, when it was saved, then one line per message
 * (`[time] Name: text`, a message's own line breaks indented under it), with a line where the last finished chat
 * ended. Text only: nothing in it is markup, whatever the messages say.
 */
export function transcriptText(
  messages: readonly ChatMessage[],
  t: ChatEndStrings,
  locale: string,
  endedSeq: number | null,
  now: number,
  /** The word for an agent whose message has no name. */
  agentWord: string,
): string {
  const when = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const lines = [t.transcriptTitle, when.format(now), ''];
  let endedShown = false;
  for (const m of messages) {
    if (endedSeq !== null && !endedShown && m.seq !== undefined && m.seq > endedSeq) {
      lines.push(`— ${t.endedLine} —`);
      endedShown = true;
    }
    const who = m.from === 'visitor' ? t.you : m.agentName || agentWord;
    lines.push(`[${when.format(m.at)}] ${who}: ${m.text.replace(/\r?\n/g, '\n    ')}`);
  }
  if (endedSeq !== null && !endedShown) lines.push(`— ${t.endedLine} —`);
  return `${lines.join('\n')}\n`;
}

/** `chat-transcript-2026-12-01.txt`, in the visitor's local date. */
export function transcriptName(now: number): string {
  const d = new Date(now);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `chat-transcript-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}.txt`;
}
