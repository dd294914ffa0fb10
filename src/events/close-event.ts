import { JivoEvent } from './jivo-event.js';

/** The chat window closed (minimized). Mirrors `jivo_onClose`. */
export class JivoCloseEvent extends JivoEvent<null> {
  static readonly type = 'jivo-close';
  constructor() {
    super(JivoCloseEvent.type, null);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-close': JivoCloseEvent;
  }
}
