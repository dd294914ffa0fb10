import { useEffect, useRef, useState } from 'react';
import type { JivoChangeStateEvent, JivoWidget, WidgetView } from 'jivo-widget';
// Defines <jivo-widget> and installs window.jivo_api (harmless on the server: see ../ssr).
import 'jivo-widget/jivo-widget.js';
// Types only: <jivo-widget> in JSX, with its attributes and its events as `onjivo-*` props (React 19).
import type {} from 'jivo-widget/react';

const PAGES = { home: 'Home', pricing: 'Pricing' } as const;
type Page = keyof typeof PAGES;

export function App() {
  const widget = useRef<JivoWidget>(null);
  const [page, setPage] = useState<Page>('home');
  const [state, setState] = useState<WidgetView>('label');
  const [opened, setOpened] = useState(0);

  // A single-page app tells the agents which page the visitor is on whenever it changes.
  useEffect(() => {
    document.title = `${PAGES[page]} · jivo-widget with React`;
    window.jivo_api?.sendPageTitle(document.title, false, location.href);
  }, [page]);

  return (
    <main>
      <h1>jivo-widget with React</h1>
      <nav>
        {(Object.keys(PAGES) as Page[]).map((p) => (
          <button key={p} type="button" aria-current={p === page ? 'page' : undefined} onClick={() => setPage(p)}>
            {PAGES[p]}
          </button>
        ))}
      </nav>
      <p>
        <button type="button" onClick={() => widget.current?.open()}>
          Chat with us
        </button>
      </p>
      <p>
        Chat: <output id="chat-state">{state}</output>, opened <output id="chat-opened">{opened}</output> times
      </p>
      <jivo-widget
        ref={widget}
        widget-id="example-react"
        color="#0b7a53"
        onjivo-change-state={(event: JivoChangeStateEvent) => setState(event.detail.state)}
        onjivo-open={() => setOpened((n) => n + 1)}
      />
    </main>
  );
}
