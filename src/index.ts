/** Public classes and types, without side effects: importing this module defines no element. */
export { JivoWidget } from './components/widget/widget.js';
export type {
  OpenParams,
  OfflineMessageParams,
  OfflineMessageResult,
  ContactInfo,
  ContactInfoParams,
  UtmResult,
  ClientAttributesParams,
  VisitorNumberCallback,
  CallbackEnabledCallback,
} from './api/types.js';
export { JivoLauncher } from './components/launcher/launcher.js';
export { JivoChatWindow } from './components/chat-window/chat-window.js';
export { JivoMessageList } from './components/message-list/message-list.js';
export { JivoComposer } from './components/composer/composer.js';
export { JivoInvitation } from './components/invitation/invitation.js';
export { JivoOfflineForm } from './components/offline-form/offline-form.js';
export { JivoCallbackForm } from './components/callback-form/callback-form.js';
export { JivoContactsForm } from './components/contacts-form/contacts-form.js';
export { JivoMobileMenu } from './components/mobile-menu/mobile-menu.js';
export { JivoChatEnd } from './components/chat-end/chat-end.js';
export { defineJivoElements } from './entry/define.js';
export { installJivoApi, JivoApiBridge } from './api/jivo-api.js';
export type { JivoApi, JivoCallbacks } from './api/types.js';
export * from './events/index.js';
// From chat.ts, which gives the store the conversation's updates as it loads: the exported store is complete.
export { WidgetStore } from './state/chat.js';
export type { ChatMessage, WidgetState, WidgetView, StartView, CallRequest, CallStatus } from './state/types.js';
export type { ApiResult, ChatMode, ChatModeResult } from './api/result.js';
export type { ChatTransport, TransportStatus } from './transport/transport.js';
export { WebSocketTransport } from './transport/websocket-transport.js';
export type {
  BackendFrame,
  VisitorFrame,
  WireMessage,
  WireCall,
  WireAgent,
  WireChatEnd,
} from './transport/protocol.js';
export type { Channel, ChannelKind, SiteProfile } from './model/site-profile.js';
export type { ChatRating, Rate } from './model/rating.js';
export type { JivoTexts } from './i18n/texts.js';
export type { Locale } from './i18n/languages.js';
