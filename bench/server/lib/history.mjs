// The stored history of the start-up scenario, and the random text the other scenarios send. Every store's writer
// (bench/server/lib/stores.mjs) consumes the same stream of records (server/state.ts `JournalRecord`), so that the
// journal and the database hold the same chats, message for message.

/** Deterministic pseudo-random numbers (mulberry32), so every generated history is the same. */
export function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'hi hello thanks order delivery shipping price size colour return refund invoice account password card payment ' +
  'today tomorrow week store open close available stock discount code cart checkout address phone email please ' +
  'could would you we our the a an is are was be can do does not yes no when where which how much many help need ' +
  'want item items product number tracking parcel courier warranty repair exchange black white large small medium'
).split(' ');

/** A chat line of 3-18 words (about 15-110 characters, most near 60), from `rand`. */
export function chatText(rand) {
  const n = 3 + Math.floor(rand() * 16);
  const words = [];
  for (let i = 0; i < n; i++) words.push(WORDS[Math.floor(rand() * WORDS.length)]);
  const text = words.join(' ');
  return `${text[0].toUpperCase()}${text.slice(1)}${rand() < 0.3 ? '?' : '.'}`;
}

/** A widget-style visitor id or message id: 32 hex digits in UUID form, from `rand`. */
export function uuid(rand) {
  let hex = '';
  for (let i = 0; i < 4; i++)
    hex += Math.floor(rand() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** What a browser's upgrade request says, kept with each visitor (typical length). */
export const USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

/**
 * A stored history as the server would have written it, record by record: `visitors` visitors spread over
 * `widgetIds`, and `messages` messages in all (each visitor gets its share, alternately from the visitor and from the
 * agent `agentName`), interleaved between the conversations as concurrent chats are, with read marks (`agent_read`,
 * `read`) every 10 messages. All the `visitor` records come first. `sample` is the first visitor, whom the bench says
 * hello as (`{ widgetId, visitorId, messages }`).
 */
export function history({ visitors, messages, widgetIds, agentName, origin }) {
  const perVisitor = Math.floor(messages / visitors);
  const extra = messages - perVisitor * visitors;
  const count = (i) => perVisitor + (i < extra ? 1 : 0);
  // The generator runs once per writer; the sample is known before it runs (the first visitor's ids, from the seed).
  const first = random(0x5eed);
  uuid(first);
  const sample = { widgetId: widgetIds[0], visitorId: uuid(first), messages: count(0) };

  function* records() {
    const rand = random(0x5eed);
    const started = Date.now() - (perVisitor + 2) * 60_000;
    const numbers = new Map();
    const list = [];
    for (let i = 0; i < visitors; i++) {
      const widgetId = widgetIds[i % widgetIds.length];
      const number = (numbers.get(widgetId) ?? 0) + 1;
      numbers.set(widgetId, number);
      const v = {
        id: `v-${uuid(rand).replace(/-/g, '').slice(0, 16)}`,
        widgetId,
        visitorId: uuid(rand),
        count: count(i),
      };
      list.push(v);
      yield {
        k: 'visitor',
        id: v.id,
        widgetId,
        visitorId: v.visitorId,
        number,
        at: started + i,
        page: { url: `${origin}/catalog/item-${i % 500}`, title: `Item ${i % 500} — Bench shop` },
        department: null,
        lang: 'en',
        ua: USER_AGENT,
      };
    }
    // Message j of every conversation, then message j + 1: conversations run side by side, as on a real site.
    const rounds = perVisitor + (extra ? 1 : 0);
    for (let j = 0; j < rounds; j++) {
      const at = started + 60_000 * (j + 1);
      for (let i = 0; i < list.length; i++) {
        const v = list[i];
        if (j >= v.count) continue;
        const seq = j + 1;
        const text = chatText(rand);
        if (j % 2 === 0) {
          yield { k: 'message', v: v.id, m: { id: uuid(rand), seq, from: 'visitor', text, at: at + i } };
        } else {
          const m = { id: `a-${uuid(rand)}`, seq, from: 'agent', text, at: at + i, agentName };
          yield { k: 'message', v: v.id, m, cid: uuid(rand) };
        }
        if (seq % 10 === 0) {
          yield { k: 'agent_read', v: v.id, seq };
          yield { k: 'read', v: v.id, seq };
        }
      }
    }
  }
  return { sample, records };
}
