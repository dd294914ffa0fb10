import { JivoEvent } from './jivo-event.js';

/** The widget was removed from the page. Mirrors `jivo_onWidgetDestroy`. */
export class JivoWidgetDestroyEvent extends JivoEvent<null> {
  static readonly type = 'jivo-widget-destroy';
  constructor() {
    super(JivoWidgetDestroyEvent.type, null);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-widget-destroy': JivoWidgetDestroyEvent;
  }
}
