import { JivoEvent } from './jivo-event.js';

/** The widget's on-screen size changed (opened, closed, resized). Mirrors `jivo_onResizeCallback`. */
export class JivoResizeEvent extends JivoEvent<{ width: number; height: number }> {
  static readonly type = 'jivo-resize';
  constructor(width: number, height: number) {
    super(JivoResizeEvent.type, { width, height });
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'jivo-resize': JivoResizeEvent;
  }
}
