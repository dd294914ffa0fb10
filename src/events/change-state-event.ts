import { JivoEvent } from './jivo-event.js';
import type { WidgetView } from '../state/types.js';

/** The widget's state changed; `detail.state` is one of the API's state strings. Mirrors `jivo_onChangeState(state)`. */
export class JivoChangeStateEvent extends JivoEvent<{ state: WidgetView }> {
  static readonly type = 'jivo-change-state';
  constructor(state: WidgetView) {
    super(JivoChangeStateEvent.type, { state });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-change-state': JivoChangeStateEvent;
  }
}
