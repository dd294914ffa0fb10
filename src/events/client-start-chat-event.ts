import { JivoEvent } from './jivo-event.js';

/** The visitor started the chat, no proactive invitation having been shown. Mirrors `jivo_onClientStartChat`. */
export class JivoClientStartChatEvent extends JivoEvent<null> {
  static readonly type = 'jivo-client-start-chat';
  constructor() {
    super(JivoClientStartChatEvent.type, null);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-client-start-chat': JivoClientStartChatEvent;
  }
}
