import { JivoEvent } from './jivo-event.js';

/** An agent accepted the chat; `detail.agentName` is who. Mirrors `jivo_onAccept`. */
export class JivoAcceptEvent extends JivoEvent<{ agentName: string }> {
  static readonly type = 'jivo-accept';
  constructor(agentName: string) {
    super(JivoAcceptEvent.type, { agentName });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-accept': JivoAcceptEvent;
  }
}
