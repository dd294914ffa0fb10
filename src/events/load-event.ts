import { JivoEvent } from './jivo-event.js';

/** Initialization is over: the widget is rendered and its methods work. Mirrors `jivo_onLoadCallback`. */
export class JivoLoadEvent extends JivoEvent<null> {
  static readonly type = 'jivo-load';
  constructor() {
    super(JivoLoadEvent.type, null);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-load': JivoLoadEvent;
  }
}
