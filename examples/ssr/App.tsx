import { useEffect, useRef, useState, type RefObject } from 'react';
import type { JivoWidget, WidgetView } from 'jivo-widget';
// Safe on the server: in Node (no DOM) this defines no element and installs no jivo_api.
import 'jivo-widget/jivo-widget.js';
import type { JivoWidgetEvents } from 'jivo-widget/react';

/**
 * Listens to one of the widget's events through the DOM. On a page React hydrates, an `onjivo-*` prop is not enough:
 * React 19 attaches a custom element's event props only on the first client render, not when it hydrates
 * server-rendered HTML (React issue #35446), so the listener is added in an effect instead.
 */
function useWidgetEvent<K extends keyof JivoWidgetEvents>(
  widget: RefObject<JivoWidget | null>,
  type: K,
  handler: (event: JivoWidgetEvents[K]) => void,
): void {
  useEffect(() => {
    const element = widget.current;
    const listener = (event: Event) => handler(event as JivoWidgetEvents[K]);
    element?.addEventListener(type, listener);
    return () => element?.removeEventListener(type, listener);
  }, [widget, type, handler]);
}

/** The same tree on the server and in the browser: the server's HTML already holds <jivo-widget> with its attributes. */
export function App() {
  const widget = useRef<JivoWidget>(null);
  const [state, setState] = useState<WidgetView>('label');
  const [opened, setOpened] = useState(0);
  useWidgetEvent(widget, 'jivo-change-state', (event) => setState(event.detail.state));
  useWidgetEvent(widget, 'jivo-open', () => setOpened((n) => n + 1));
  return (
    <main>
      <h1>jivo-widget, rendered on the server</h1>
      <p>
        <button type="button" onClick={() => widget.current?.open()}>
          Chat with us
        </button>
      </p>
      <p>
        Chat: <output id="chat-state">{state}</output>, opened <output id="chat-opened">{opened}</output> times
      </p>
      <jivo-widget ref={widget} widget-id="example-ssr" color="#0b7a53" />
    </main>
  );
}
