import { JivoEvent } from './jivo-event.js';

/** The chat window opened, by the visitor, the page or a proactive invitation. Mirrors `jivo_onOpen`. */
export class JivoOpenEvent extends JivoEvent<null> {
  static readonly type = 'jivo-open';
  constructor() {
    super(JivoOpenEvent.type, null);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-open': JivoOpenEvent;
  }
}
