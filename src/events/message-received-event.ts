import { JivoEvent } from './jivo-event.js';

/** A new agent message arrived; `detail` has its text and author. Mirrors `jivo_onMessageReceived`. */
export class JivoMessageReceivedEvent extends JivoEvent<{ text: string; agentName: string | null; at: number }> {
  static readonly type = 'jivo-message-received';
  constructor(text: string, agentName: string | null, at: number) {
    super(JivoMessageReceivedEvent.type, { text, agentName, at });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-message-received': JivoMessageReceivedEvent;
  }
}
