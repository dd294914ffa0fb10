import type { ReactiveController } from 'lit';
import type { WidgetStore } from '../../../state/store.js';
import type { ContactsFormMode } from '../../../state/types.js';
import { LAUNCHER_LIMITS as LIMITS } from '../../../model/launcher-limits.js';
import type { WidgetHost } from './host.js';

/** The attributes this controller carries into the store. */
type Carried = {
  readonly widgetId?: string;
  readonly contactsForm?: ContactsFormMode;
  readonly department?: string;
};

/**
 * Reads the attributes that shape the conversation: the widget id (as the namespace of everything kept for it), and,
 * into the store each time one changes, the `contacts-form` mode and the department. (The language has a controller of
 * its own, `language.ts`.)
 */
export class AttributesController implements ReactiveController {
  readonly #host: WidgetHost & Carried;
  readonly #store: WidgetStore;
  /** The values last carried; undefined, as the properties start, so that one never set is never carried. */
  #last: { contactsForm?: string; department?: string } = {};

  constructor(host: WidgetHost & Carried, store: WidgetStore) {
    this.#host = host;
    this.#store = store;
    host.addController(this);
  }

  /** The widget id the widget stores under and reports to the backend (which takes at most 64 characters). */
  get namespace(): string {
    return this.#host.widgetId?.trim().slice(0, LIMITS.widgetId) || 'default';
  }

  hostUpdate(): void {
    const { contactsForm, department } = this.#host;
    const last = this.#last;
    const store = this.#store;
    if (contactsForm !== last.contactsForm) {
      store.setContactsForm(contactsForm === 'optional' || contactsForm === 'required' ? contactsForm : 'off');
    }
    if (department !== last.department) {
      const value = department?.trim() || null;
      if (value && value.length > LIMITS.department) {
        console.warn(`jivo-widget: department is longer than ${LIMITS.department} characters; ignored`);
        store.setDepartment(null);
      } else store.setDepartment(value);
    }
    this.#last = { contactsForm, department };
  }
}
