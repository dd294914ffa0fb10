/**
 * Everything the widget needs beyond its launcher: the window's elements, the backend connection and the trigger
 * engine. The root element loads this module right after its first render, so the launcher never waits for it; in the
 * script bundle it is a separate chunk, fetched while the page is still loading.
 */
import { JivoCallbackForm } from './components/callback-form/callback-form.js';
import { JivoChatWindow } from './components/chat-window/chat-window.js';
import { JivoContactsForm } from './components/contacts-form/contacts-form.js';
import { JivoComposer } from './components/composer/composer.js';
import { JivoInvitation } from './components/invitation/invitation.js';
import { JivoMessageList } from './components/message-list/message-list.js';
import { JivoMobileMenu } from './components/mobile-menu/mobile-menu.js';
import { JivoOfflineForm } from './components/offline-form/offline-form.js';
import { define } from './internal/define.js';

define('jivo-invitation', JivoInvitation);
define('jivo-message-list', JivoMessageList);
define('jivo-composer', JivoComposer);
define('jivo-offline-form', JivoOfflineForm);
define('jivo-callback-form', JivoCallbackForm);
define('jivo-contacts-form', JivoContactsForm);
define('jivo-chat-window', JivoChatWindow);
define('jivo-mobile-menu', JivoMobileMenu);

export { ChatSession } from './transport/session.js';
export { WebSocketTransport } from './transport/websocket-transport.js';
export { TriggerEngine } from './triggers/engine.js';
export { parseRules } from './triggers/parse.js';
