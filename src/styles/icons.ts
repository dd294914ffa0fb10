/** Icon paths (24×24 viewBox) that more than one component draws. */

/** A telephone handset: call backs. */
export const PHONE_ICON = 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z';
/** A speech bubble: the chat. */
export const CHAT_ICON = 'M4 5h16v11H9l-5 4z';
/** A cross: close, dismiss. */
export const CLOSE_ICON = 'M6 6l12 12M18 6L6 18';
