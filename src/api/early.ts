import { isHexColor } from '../internal/color.js';
import { UTM_KEYS } from '../model/types.js';
import { utmOf } from '../model/utm.js';
import type { WidgetStore } from '../state/store.js';
import type { StartView } from '../state/types.js';
import { chatModeResult, describe, fail, ok, type ApiResult } from './result.js';
import type { JivoApiMethods, OpenParams, UtmResult } from './types.js';

/** Where `open()` starts, or why it cannot. */
export function openStart(params?: OpenParams | null): StartView | ApiResult {
  if (params !== undefined && params !== null && (typeof params !== 'object' || Array.isArray(params))) {
    return fail(`open() takes an object such as {start: 'chat'}, not ${describe(params)}`);
  }
  const start: unknown = params?.start ?? 'chat';
  if (start !== 'chat' && start !== 'menu' && start !== 'call') {
    return fail(`Unknown start ${describe(start)}: use 'chat', 'call' or 'menu'`);
  }
  return start;
}

/** `setWidgetColor()`: through the attributes, which are the widget's configuration (`jivo_init()` rebuilds from them). */
export function setWidgetColor(element: HTMLElement, color: unknown, color2?: unknown): ApiResult {
  if (!isHexColor(color)) return fail(`color must be a hex colour such as '#2a5bd7', not ${describe(color)}`);
  if (color2 !== undefined && color2 !== null && color2 !== '' && !isHexColor(color2)) {
    return fail(`color2 must be a hex colour such as '#000000', not ${describe(color2)}`);
  }
  element.setAttribute('color', (color as string).trim());
  if (color2) element.setAttribute('color2', (color2 as string).trim());
  else element.removeAttribute('color2');
  return ok();
}

/** `getUtm()`: the first visit's tags, which the launcher keeps from the start. */
export function getUtm(store: WidgetStore): UtmResult {
  const utm = store.state.utm ?? utmOf(location.href);
  const result = {} as UtmResult;
  for (const key of UTM_KEYS) result[key] = utm[key] || null;
  return result;
}

/**
 * What the root element answers before the window chunk, which has the API's method bodies (`methods.ts`), is there:
 * the methods a visitor's click may call while the page is still loading (a site's own "Chat with us" button calls
 * `open()`), the colours, and those that only read what the launcher knows. Undefined for every other method, which
 * then fails with "still loading" (`jivo-load`, `jivo_onLoadCallback`, is the documented moment to call the API).
 */
export function answerEarly(
  element: HTMLElement,
  store: WidgetStore,
  name: keyof JivoApiMethods,
  args: readonly unknown[],
): unknown {
  switch (name) {
    case 'open': {
      const start = openStart(args[0] as OpenParams | null | undefined);
      if (typeof start !== 'string') return start;
      // A call back needs the backend's word that it takes them, which comes with the connection.
      if (start === 'call') return undefined;
      store.open(start, 'api');
      return ok();
    }
    case 'close':
      store.minimize();
      return ok();
    case 'chatMode':
      return chatModeResult(store.state.chatMode);
    case 'getUnreadMessagesCount':
      return store.state.unread;
    case 'setWidgetColor':
      return setWidgetColor(element, args[0], args[1]);
    case 'getUtm':
      return getUtm(store);
  }
  return undefined;
}
