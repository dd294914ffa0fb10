import { JivoEvent } from './jivo-event.js';

/**
 * The visitor sent the contacts form (not `setContactInfo`). No detail: read the details with `getContactInfo()`.
 * Mirrors `jivo_onIntroduction`.
 */
export class JivoIntroductionEvent extends JivoEvent<null> {
  static readonly type = 'jivo-introduction';
  constructor() {
    super(JivoIntroductionEvent.type, null);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-introduction': JivoIntroductionEvent;
  }
}
