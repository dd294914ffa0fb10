import { JivoEvent } from './jivo-event.js';

/** How a call back ended: `{result: 'ok'}` when it finished, `{result: 'fail', reason}` when it failed or was refused. */
export type CallEndResult = { result: 'ok' } | { result: 'fail'; reason: string };

/**
 * A call back ended: it finished (`detail.result` is `ok`), or it failed or could not start (`fail`, with
 * `detail.reason`, e.g. `Callback disabled` or the agent's "No answer"). Mirrors `jivo_onCallEnd(res)`.
 */
export class JivoCallEndEvent extends JivoEvent<CallEndResult> {
  static readonly type = 'jivo-call-end';
  constructor(detail: CallEndResult) {
    super(JivoCallEndEvent.type, detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-call-end': JivoCallEndEvent;
  }
}
