import { safeCall } from '../internal/safe-call.js';
import { chatModeResult, fail } from './result.js';
import type { JivoApiMethods } from './types.js';

/** The JivoChat Widget API's methods, in the order `window.jivo_api` lists them. */
export const API_METHODS = [
  'open',
  'close',
  'showProactiveInvitation',
  'setWidgetColor',
  'chatMode',
  'getUnreadMessagesCount',
  'clearHistory',
  'sendOfflineMessage',
  'setContactInfo',
  'getContactInfo',
  'setCustomData',
  'setUserToken',
  'sendPageTitle',
  'setRules',
  'getUtm',
  'setClientAttributes',
  'getVisitorNumber',
  'startCall',
  'isCallbackEnabled',
] as const satisfies ReadonlyArray<keyof JivoApiMethods>;

/**
 * What method `name` answers when no widget can act on it (none on the page, or its code still loading): each method's
 * documented failure with `reason`, or its "nothing known" value (offline, no unread messages, nulls). The two methods
 * with a callback call it on a later microtask with the failure, as they would with an answer.
 */
export function unavailable(name: keyof JivoApiMethods, reason: string, args: readonly unknown[]): unknown {
  const failed = fail(reason);
  const callback = args[0];
  switch (name) {
    case 'chatMode':
      return chatModeResult('offline');
    case 'getUnreadMessagesCount':
      return 0;
    case 'sendOfflineMessage':
      return { result: 'fail', error: reason };
    case 'getContactInfo':
      return { client_name: null, email: null, phone: null, description: null };
    case 'getUtm':
      return { source: null, medium: null, campaign: null, content: null, term: null };
    case 'getVisitorNumber':
    case 'isCallbackEnabled':
      if (typeof callback === 'function')
        queueMicrotask(() =>
          safeCall(
            callback as (...a: never[]) => unknown,
            [name === 'isCallbackEnabled' ? failed : reason],
            `the ${name} callback`,
          ),
        );
  }
  return failed;
}
