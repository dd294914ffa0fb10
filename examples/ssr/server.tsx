// Runs on the server (Node, no DOM), as a Next.js, Remix or Astro page would: React renders the page's HTML with
// <jivo-widget> and its attributes in it, and the visitor's details known to the server go into `jivo_queue`, which
// the widget runs once its script has loaded. The browser then hydrates the same tree (client.tsx).
import { renderToString } from 'react-dom/server';
import { App } from './App';

export interface Visitor {
  name: string;
  email: string;
}

/** JSON for an inline script: `<` escaped, so that no value can close the script element. */
const inlineJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');

export function renderPage(visitor: Visitor | null): string {
  const earlyCalls = visitor
    ? `window.jivo_queue = window.jivo_queue || [];\n      jivo_queue.push(['setContactInfo', ${inlineJson(visitor)}]);`
    : '';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>jivo-widget, rendered on the server</title>
  </head>
  <body>
    <div id="app">${renderToString(<App />)}</div>
    <script>
      ${earlyCalls}
    </script>
    <script type="module" src="./main.js"></script>
  </body>
</html>
`;
}
