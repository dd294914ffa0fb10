import type { Locale } from './strings.js';

/**
 * Strings that only the window chunk uses (the status region, form hints), per language. Apart from the catalogues
 * in en.ts and ru.ts on purpose: the launcher, which loads first, does not carry them.
 */
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

const catalogs: Record<Locale, WindowStrings> = {
  en: {
    newMessage: 'New message from {name}: {text}',
    notSent: 'Message not sent: {text} Use Send again to retry.',
    required: 'required',
    connectionLost: 'Connection lost. Your messages will be sent when we are connected again.',
    connectionBack: 'Connected again.',
    files: {
      attach: 'Attach a file',
      dropHere: 'Drop files here to send them',
      uploading: 'Uploading {name}',
      cancel: 'Cancel sending {name}',
      remove: 'Remove {name}',
      opensFullSize: 'opens full size in a new tab',
      download: 'Download',
      loading: 'Loading…',
      unavailable: 'The file could not be loaded',
      notSent: 'File not sent: {name}. {reason}',
      errors: {
        file_type: 'Files of this type are not accepted.',
        file_too_large: 'The file is larger than {size}.',
        bad_file: 'The file is empty.',
        too_many: 'Wait until the files already attached are sent.',
        lost: 'The file is no longer available; attach it again.',
      },
    },
    offlinePending: 'Your message is saved and will be sent as soon as we are connected.',
    contactsThanks: 'Thank you, we have your contact details.',
  },
  ru: {
    newMessage: 'Новое сообщение от {name}: {text}',
    notSent: 'Сообщение не отправлено: {text} Чтобы повторить, нажмите «Отправить ещё раз».',
    required: 'обязательно',
    connectionLost: 'Связь потеряна. Ваши сообщения будут отправлены, когда она восстановится.',
    connectionBack: 'Связь восстановлена.',
    files: {
      attach: 'Прикрепить файл',
      dropHere: 'Отпустите файлы, чтобы отправить их',
      uploading: 'Загрузка файла {name}',
      cancel: 'Отменить отправку файла {name}',
      remove: 'Убрать файл {name}',
      opensFullSize: 'откроется в полном размере в новой вкладке',
      download: 'Скачать',
      loading: 'Загрузка…',
      unavailable: 'Не удалось загрузить файл',
      notSent: 'Файл не отправлен: {name}. {reason}',
      errors: {
        file_type: 'Файлы этого типа не принимаются.',
        file_too_large: 'Файл больше {size}.',
        bad_file: 'Файл пустой.',
        too_many: 'Дождитесь отправки уже прикреплённых файлов.',
        lost: 'Файл больше недоступен, прикрепите его снова.',
      },
    },
    offlinePending: 'Сообщение сохранено и будет отправлено, как только появится связь.',
    contactsThanks: 'Спасибо, ваши контакты получены.',
  },
};

export const windowStrings = (locale: Locale): WindowStrings => catalogs[locale];
