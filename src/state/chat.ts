/**
 * The conversation's updates, given to the store as this module loads (`provideChatUpdates`): the window chunk imports
 * it, and the package's index exports the store from here, so that the launcher, whose store only opens, closes and
 * restores, does not carry them.
 */
import * as calls from './calls.js';
import * as conversation from './conversation.js';
import { provideChatUpdates } from './store.js';
import * as visitor from './visitor.js';

const updates = { calls, conversation, visitor };

/** What `provideChatUpdates` gives the store. */
export type ChatUpdates = typeof updates;

provideChatUpdates(updates);

/** The store, complete once this module has loaded. */
export { WidgetStore } from './store.js';
