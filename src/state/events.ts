import type { Agent, CallRequest, ChatMessage, ChatMode, OpenSource, WidgetState } from './types.js';

/** Things that happen, as opposed to state: the root element turns them into public events. */
export type StoreEvent =
  | { type: 'visitor-message'; message: ChatMessage; first: boolean; invited: boolean }
  | { type: 'agent-message'; message: ChatMessage }
  | { type: 'accepted'; agent: Agent }
  /** The backend took a call-back request (or this page learnt of one it took): the call has started. */
  | { type: 'call-start'; call: CallRequest }
  /** A call ended: finished, or failed (refused, no answer…) with a reason. */
  | { type: 'call-end'; call: CallRequest }
  /** The visitor sent the contacts form. */
  | { type: 'introduction' }
  /** `open()` asked for what is already on screen (a page's chat button pressed again): focus may be wanted there. */
  | { type: 'reopen'; by: OpenSource };

/** An update that causes events: the next state (the same object when nothing changed), then the events, in order. */
export type Outcome = readonly [WidgetState, ...StoreEvent[]];

/** What the backend's welcome tells a (re)connecting widget. */
export interface Welcome {
  /** The visitor's id as the backend gave it: another than the one held means another visitor's conversation. */
  visitorId: string;
  visitorNumber: number;
  chatMode: ChatMode;
  agent: Agent | null;
  messages: readonly ChatMessage[];
  readSeq: number;
}
