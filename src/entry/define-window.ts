import { JivoCallbackForm } from '../components/callback-form/callback-form.js';
import { JivoChatEnd } from '../components/chat-end/chat-end.js';
import { JivoChatWindow } from '../components/chat-window/chat-window.js';
import { JivoComposer } from '../components/composer/composer.js';
import { JivoContactsForm } from '../components/contacts-form/contacts-form.js';
import { JivoInvitation } from '../components/invitation/invitation.js';
import { JivoMessageList } from '../components/message-list/message-list.js';
import { JivoMobileMenu } from '../components/mobile-menu/mobile-menu.js';
import { JivoOfflineForm } from '../components/offline-form/offline-form.js';
import { JivoPrechatForm } from '../components/prechat-form/prechat-form.js';
import { define } from '../internal/define.js';

/**
 * Registers the elements of the open widget (the window, its forms, the menu); inner ones first. Idempotent.
 * Apart from `define.ts` on purpose: the lazy window chunk calls this, and were it in `define.ts`, the chunk would
 * import the root element, which imports the chunk's loader: a cycle, and the root's code in both bundles.
 */
export function defineWindowElements(): void {
  define('jivo-invitation', JivoInvitation);
  define('jivo-message-list', JivoMessageList);
  define('jivo-composer', JivoComposer);
  define('jivo-offline-form', JivoOfflineForm);
  define('jivo-callback-form', JivoCallbackForm);
  define('jivo-contacts-form', JivoContactsForm);
  define('jivo-prechat-form', JivoPrechatForm);
  define('jivo-chat-end', JivoChatEnd);
  define('jivo-chat-window', JivoChatWindow);
  define('jivo-mobile-menu', JivoMobileMenu);
}
