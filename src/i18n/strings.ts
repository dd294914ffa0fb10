/** Every piece of text the widget shows or announces. Each locale file must provide all of them. */
export interface Strings {
  /** The launcher's visible text while no conversation exists. */
  launcherText: string;
  /** The launcher's visible text once a conversation has started (state `chat/min`). */
  launcherTextContinue: string;
  /** The launcher's accessible name; `{text}` is its visible text and `{unread}` the unread phrase (may be empty). */
  launcherName: string;
  /** "N unread messages", with plural forms chosen by Intl.PluralRules. */
  unread: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
  windowTitle: string;
  statusOnline: string;
  statusOffline: string;
  /** `{name}` is the agent's name. */
  statusAgent: string;
  minimize: string;
  /** Above a long history's newest messages; `{count}` is how many earlier ones there are. */
  earlierMessages: string;
  messagesLabel: string;
  emptyOnline: string;
  emptyOffline: string;
  composerLabel: string;
  composerPlaceholder: string;
  send: string;
  visitorSaid: string;
  agentSaid: string;
  statusSending: string;
  statusSent: string;
  statusFailed: string;
  retry: string;
  invitationFrom: string;
  dismissInvitation: string;
  menuTitle: string;
  menuChat: string;
  menuClose: string;
  connecting: string;
  /** `{name}` is the agent's name. */
  agentTyping: string;
  offlineIntro: string;
  nameLabel: string;
  emailLabel: string;
  phoneLabel: string;
  offlineMessageLabel: string;
  offlineSend: string;
  offlineThanks: string;
  writeAnother: string;
  errorRequired: string;
  errorEmail: string;
  errorPhone: string;
  errorContact: string;
  errorTooLong: string;
  /** The callback form's title, the menu's choice and the chat header's button. */
  callTitle: string;
  callIntro: string;
  callPhoneLabel: string;
  callSubmit: string;
  /** The request waits for a connection. */
  callPending: string;
  /** `{phone}` is the number. */
  callRequested: string;
  /** `{phone}` is the number. */
  callConnected: string;
  callFinished: string;
  /** `{reason}` is why. */
  callFailed: string;
  callDisabled: string;
  callAnother: string;
  backToChat: string;
  errorCallPhone: string;
  /** The contacts form's title. */
  contactsTitle: string;
  /** Above the site's contacts form (the `contacts-form` attribute). */
  contactsIntro: string;
  /** Above the contacts form when an agent asked for it. */
  contactsRequested: string;
  contactsSend: string;
  contactsSkip: string;
  contactsDismiss: string;
  errorName: string;
}

export type Locale = 'en' | 'ru';
