import { JivoChatWindow } from './components/chat-window/chat-window.js';
import { JivoComposer } from './components/composer/composer.js';
import { JivoInvitation } from './components/invitation/invitation.js';
import { JivoLauncher } from './components/launcher/launcher.js';
import { JivoMessageList } from './components/message-list/message-list.js';
import { JivoOfflineForm } from './components/offline-form/offline-form.js';
import { JivoCallbackForm } from './components/callback-form/callback-form.js';
import { JivoContactsForm } from './components/contacts-form/contacts-form.js';
import { JivoMobileMenu } from './components/mobile-menu/mobile-menu.js';
import { JivoWidget } from './components/widget/widget.js';
import { define } from './internal/define.js';

/** Registers every element of the widget. Safe to call more than once, and alongside another copy of the widget. */
export function defineJivoElements(): void {
  // Subcomponents first, so the root's first render upgrades them at once.
  define('jivo-launcher', JivoLauncher);
  define('jivo-invitation', JivoInvitation);
  define('jivo-message-list', JivoMessageList);
  define('jivo-composer', JivoComposer);
  define('jivo-offline-form', JivoOfflineForm);
  define('jivo-callback-form', JivoCallbackForm);
  define('jivo-contacts-form', JivoContactsForm);
  define('jivo-chat-window', JivoChatWindow);
  define('jivo-mobile-menu', JivoMobileMenu);
  define('jivo-widget', JivoWidget);
}
