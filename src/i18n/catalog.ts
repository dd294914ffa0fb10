/**
 * The shape of the widget's text in one language. A language is two files: `launcher/<code>.ts`, the four
 * `LauncherStrings`, and `locales/<code>.ts`, the `Catalog` of every string, those four included, which loads as its own
 * chunk on pages in that language; the launcher waits for it. English is built in: its launcher strings into the
 * launcher, its catalogue into the window. `languages.ts` lists them.
 */

/** "N unread messages" and the like: one text per plural category that the language uses (Intl.PluralRules). */
export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The strings the launcher shows: English's ship with it, every other language's with its catalogue. */
export interface LauncherStrings {
  /** The launcher's visible text while no conversation exists. */
  launcherText: string;
  /** The launcher's visible text once a conversation has started (state `chat/min`). */
  launcherTextContinue: string;
  /** The launcher's accessible name; `{text}` is its visible text and `{unread}` the unread phrase (may be empty). */
  launcherName: string;
  /** ", N unread messages", with plural forms chosen by Intl.PluralRules. */
  unread: PluralForms;
}

export type LauncherKey = keyof LauncherStrings;

/** Every string of one language, in one lazily loaded chunk per language. */
export interface Catalog extends LauncherStrings {
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
  /** The window's status region and form hints. */
  window: WindowStrings;
  /** Ending and rating the chat, the transcript, alerts while the page is hidden, the channel menu. */
  chatEnd: ChatEndStrings;
  /** Business hours, the pre-chat form and quick replies. */
  site: SiteStrings;
}

/** Every string of one language: what the window's elements read. */
export type Strings = Catalog;

/** Strings of the window's status region, form hints and files. */
export interface WindowStrings {
  /** An agent's message that arrived while the window was closed. */
  newMessage: string;
  /** A visitor message the backend refused or that could not be sent. */
  notSent: string;
  /** After the label of a field that must be filled in. */
  required: string;
  /** The connection to the backend has been gone for a while (the header says "Connecting…"). */
  connectionLost: string;
  /** …and it is back. */
  connectionBack: string;
  /** Files (the composer's attach button, the log's file messages). */
  files: FileStrings;
  /** The offline form's message waits for the connection. */
  offlinePending: string;
  /** Announced once the contacts form is sent. */
  contactsThanks: string;
}

export interface FileStrings {
  /** The attach button's name. */
  attach: string;
  /** Shown over the window while files are dragged onto it. */
  dropHere: string;
  /** The upload progress bar's name. */
  uploading: string;
  /** Cancels a file not sent yet; `{name}` is the file's. */
  cancel: string;
  /** Removes a refused file from the conversation. */
  remove: string;
  /** After an image's name: where the link opens. */
  opensFullSize: string;
  /** Before a file's name and size on its download button. */
  download: string;
  /** While a stored file is fetched. */
  loading: string;
  /** A stored file that could not be fetched. */
  unavailable: string;
  /** Announced when a file is not sent: `{name}` and `{reason}`. */
  notSent: string;
  /** Why a file is not sent; `{size}` is the site's limit. */
  errors: Record<'file_type' | 'file_too_large' | 'bad_file' | 'too_many' | 'lost', string>;
}

/**
 * Strings of ending the chat, rating it, saving its transcript and of the alerts for a reply that arrives while the
 * page is hidden (the page's title, the desktop notification), per language. Only the window chunk carries them.
 */
export interface ChatEndStrings {
  /** The header's control that ends the chat. */
  endChat: string;
  endQuestion: string;
  cancel: string;
  /** Said and shown once the chat has ended. */
  ended: string;
  rateQuestion: string;
  /** The accessible name of the good/bad pair. */
  rateGroup: string;
  good: string;
  bad: string;
  comment: string;
  sendRating: string;
  noThanks: string;
  /** The visitor sent the rating form without choosing. */
  chooseRate: string;
  thanks: string;
  newChatHint: string;
  saveTranscript: string;
  transcriptTitle: string;
  /** The visitor's name in a transcript. */
  you: string;
  /** The line a transcript has where a chat ended. */
  endedLine: string;
  /** In the page's title while it is hidden: `{count}` unread replies. */
  titleUnread: string;
  /** The header's toggle for desktop notifications. */
  notifications: string;
  /** A desktop notification's title; `{name}` is the agent's name. */
  notificationTitle: string;
  /** Said when the browser refused notifications. */
  notificationsBlocked: string;
  /** The text alternative of the agent's photo in the window's header. */
  agentPhoto: string;
  /** The channel menu's list of messengers. */
  channelsLabel: string;
  /** Each messenger channel's name in the channel menu. */
  channels: Record<'whatsapp' | 'telegram' | 'viber' | 'messenger' | 'email' | 'phone', string>;
  /** Said after a channel's name: it opens another app or page. */
  opensElsewhere: string;
}

/**
 * Strings of business hours, the pre-chat form and quick replies, per language. Only the window chunk uses them, so
 * the launcher, which loads first, does not carry them.
 */
export interface SiteStrings {
  /** Outside business hours; `{time}` is the opening time in the visitor's own time zone. */
  backToday: string;
  backTomorrow: string;
  /** `{date}` is the opening's weekday, date and time in the visitor's own time zone. */
  backOn: string;
  /** Outside business hours, with no opening ahead in the schedule. */
  away: string;
  /** The name of the group of quick reply buttons under an agent's message. */
  quickReplies: string;
  prechatTitle: string;
  prechatIntro: string;
  departmentLabel: string;
  /** The empty first choice of the department list. */
  departmentChoose: string;
  prechatStart: string;
  /** After the consent checkbox's text: the privacy policy's link. */
  privacyPolicy: string;
  /** Said of a link that opens a new tab. */
  newTab: string;
  errorDepartment: string;
  errorAnswer: string;
  errorConsent: string;
  errorNameRequired: string;
  errorEmailRequired: string;
  errorPhoneRequired: string;
  /** The backend refused the pre-chat form (the site changed it meanwhile, say). */
  prechatRefused: string;
}
