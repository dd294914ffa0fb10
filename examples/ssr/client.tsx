import { hydrateRoot } from 'react-dom/client';
import { App } from './App';

// The server's HTML already has <jivo-widget>; hydration attaches the event props, and the element upgrades itself.
hydrateRoot(document.getElementById('app')!, <App />);
