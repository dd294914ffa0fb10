import { JivoEvent } from './jivo-event.js';

/**
 * A call back has started: the backend took the visitor's request (from the callback form or `startCall`) and an agent
 * will call `detail.phone`. Fires once per call in each page that follows it. Mirrors `jivo_onCallStart`.
 */
export class JivoCallStartEvent extends JivoEvent<{ phone: string }> {
  static readonly type = 'jivo-call-start';
  constructor(phone: string) {
    super(JivoCallStartEvent.type, { phone });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-call-start': JivoCallStartEvent;
  }
}
