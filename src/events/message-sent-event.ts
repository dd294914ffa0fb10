import { JivoEvent } from './jivo-event.js';

/** The visitor sent the first message of a conversation (there was no history). Mirrors `jivo_onMessageSent`. */
export class JivoMessageSentEvent extends JivoEvent<null> {
  static readonly type = 'jivo-message-sent';
  constructor() {
    super(JivoMessageSentEvent.type, null);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-message-sent': JivoMessageSentEvent;
  }
}
