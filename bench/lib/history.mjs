// A conversation to seed the widget's history with, in the format src/state/persisted.ts reads back
// (`jivo-widget:<widget id>:messages` and friends; every message passes its isMessage check), and the same messages
// for the floor page. Deterministic, so every run renders the same text.
const PHRASES = [
  'Hello! Do you ship to Portugal?',
  'Yes, we ship to all of the EU; delivery takes three to five working days.',
  "Great. Is the Gyokuro this year's harvest?",
  'It is, picked in May. Details are on https://tea.example/gyokuro-2024 if you want the garden notes.',
  'Can I change my order after paying?',
  'Of course, until it is packed. Tell me the order number and what to change.',
  'Order 48213: two more packs of the Lapsang, please.',
  'Done, the new total is 34.10 and it leaves today.',
  'Thanks a lot!',
  'You are welcome. Anything else I can help with?',
];

/** `count` messages alternating visitor and agent, one a minute, ending now. */
export function conversation(count, now = Date.now()) {
  const messages = [];
  for (let i = 0; i < count; i++) {
    const seq = i + 1;
    const at = now - (count - i) * 60_000;
    const text = `${PHRASES[i % PHRASES.length]} (#${seq})`;
    messages.push(
      i % 2 === 0
        ? { id: `bench-v-${seq}`, from: 'visitor', text, at, status: 'sent', seq }
        : { id: `bench-a-${seq}`, from: 'agent', text, at, agentName: 'Anna', seq },
    );
  }
  return messages;
}

/** localStorage entries for a returning visitor of widget `widgetId` with this history, all of it read. */
export function widgetStorage(widgetId, messages, visitorId = `bench-visitor-${Date.now().toString(36)}`) {
  const key = (name) => `jivo-widget:${widgetId}:${name}`;
  const lastSeq = messages.at(-1)?.seq ?? 0;
  return {
    [key('visitorId')]: JSON.stringify(visitorId),
    [key('messages')]: JSON.stringify(messages),
    [key('readSeq')]: JSON.stringify(lastSeq),
    [key('unread')]: JSON.stringify(0),
    // Minimized after the conversation, as a returning visitor's widget is: the launcher offers to continue.
    [key('view')]: JSON.stringify('chat/min'),
  };
}

/** The floor page reads the same messages from one key. */
export const floorStorage = (messages) => ({ 'floor:messages': JSON.stringify(messages) });
