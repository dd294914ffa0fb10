import { loadPersisted, storageKey, type StorageLike } from '../../../state/persisted.js';
import type { WidgetStore } from '../../../state/store.js';

/** The stored keys whose changes in another tab this one follows. */
const FOLLOWED = ['visitorId', 'queued', 'messages', 'contact', 'contactsSkipped', 'clientAttributes'] as const;

/**
 * Follows the site's other tabs through the storage they share, until the returned function is called: when one starts
 * a new visitor, this one follows instead of writing the old visitor back; the messages another tab queued are taken
 * in, so that whichever tab stays open delivers them; contacts given, the form skipped and attributes set in another
 * tab hold here too. Any other code of the site can write that storage as well: what changed is read back checked, as
 * a load reads it, and the store takes in only what it can believe (`adoptMessages`). In the window chunk, so that the
 * launcher does not wait for it; it starts by taking in what other tabs wrote since the widget restored.
 */
export function followTabs(
  store: WidgetStore,
  storage: StorageLike,
  /** Its `namespace` is the widget id whose keys are followed, read at each change (the attribute may change). */
  host: { readonly namespace: string },
  /** Another tab started a new visitor (`clearHistory` on logout): restores what it stored, on a new connection. */
  switchVisitor: () => void,
): () => void {
  const takeIn = (key: (typeof FOLLOWED)[number], removed = false): void => {
    const stored = loadPersisted(storage, host.namespace);
    // Another tab ended the visitor (clearHistory removes every key, and nothing else removes these): follow it.
    if (removed && (key === 'visitorId' || key === 'messages')) return switchVisitor();
    if ((stored.visitorId ?? '') !== store.state.visitorId) {
      // Another tab has a visitor this one does not (the backend's id for a first visit, another identity's): follow
      // it. The other keys say nothing until then.
      if (key === 'visitorId') switchVisitor();
      return;
    }
    // A new message and its queued id are two writes: either one takes in both, as stored now.
    if (key === 'messages' || key === 'queued') store.adoptMessages(stored.messages ?? [], stored.queued ?? []);
    // What the visitor or the site did in another tab. (An agent's request for contacts, and its answer, every tab
    // hears from the backend.)
    if (key === 'contact' && stored.contact) store.setContact(stored.contact);
    if (key === 'contactsSkipped' && stored.contactsSkipped) store.skipContactsForm();
    if (key === 'clientAttributes' && stored.clientAttributes) store.setClientAttributes(stored.clientAttributes);
  };
  const onStorage = (event: StorageEvent): void => {
    const prefix = storageKey(host.namespace, '');
    // The messages' later segments (`messages.1`, …) are the messages too.
    const name = event.key?.startsWith(prefix)
      ? event.key.slice(prefix.length).replace(/^messages\.\d+$/, 'messages')
      : '';
    const key = FOLLOWED.find((k) => k === name);
    if (key) takeIn(key, event.newValue === null);
  };
  window.addEventListener('storage', onStorage);
  // What another tab wrote before this one listened (from the restore until now).
  for (const key of FOLLOWED) takeIn(key);
  return () => window.removeEventListener('storage', onStorage);
}
