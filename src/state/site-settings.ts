/**
 * What the backend says of the widget's site: its business hours and its pre-chat form, and the visitor's pre-chat
 * answers until the backend has stored them. Kept beside the widget's store (one per store, `siteSettingsOf`) rather than
 * in it: only the window chunk reads or writes any of it, so the launcher, which loads first, carries none of this
 * code. Read through `state$`, changed through the named actions, like the store.
 */
import { BehaviorSubject, Subject, type Observable } from 'rxjs';
import type { HoursStatus } from '../model/site-settings.js';
import type { Prechat, PrechatAnswer, WidgetState } from './types.js';

export interface SiteState {
  /** The site's business hours now; null when it has no schedule (or the backend has not said). */
  readonly hours: HoursStatus | null;
  /** The site's pre-chat form; null when it has none (or the backend has not said). */
  readonly prechat: Prechat | null;
  /** The pre-chat form as sent, until the backend has stored it (sent again after each welcome until then). */
  readonly answer: PrechatAnswer | null;
  /** The backend refused the last answers (the site changed its form meanwhile, say): the form says so. */
  readonly refused: boolean;
}

const NOTHING: SiteState = { hours: null, prechat: null, answer: null, refused: false };

export class SiteSettingsStore {
  readonly #state$ = new BehaviorSubject<SiteState>(NOTHING);
  readonly state$: Observable<SiteState> = this.#state$.asObservable();

  get state(): SiteState {
    return this.#state$.value;
  }

  /** A welcome: what the site has now. */
  welcome(hours: HoursStatus | null, prechat: Prechat | null): void {
    this.#set({ ...this.state, hours, prechat });
  }

  /** The site's pre-chat form changed, or the visitor sent it in another tab. */
  setPrechat(prechat: Prechat | null): void {
    this.#set({ ...this.state, prechat });
  }

  setHours(hours: HoursStatus | null): void {
    this.#set({ ...this.state, hours });
  }

  /** The visitor sent the pre-chat form. */
  sendPrechat(answer: PrechatAnswer): void {
    this.#set({ ...this.state, answer, refused: false });
  }

  /** The backend stored the answer `id` (`stored`), or refused it: then the form shows again. */
  prechatStored(id: string, stored: boolean): void {
    const s = this.state;
    if (s.answer?.id !== id) return;
    this.#set({
      ...s,
      answer: null,
      refused: !stored,
      prechat: stored && s.prechat ? { ...s.prechat, answered: true } : s.prechat,
    });
  }

  destroy(): void {
    this.#state$.complete();
  }

  #set(next: SiteState): void {
    if (JSON.stringify(next) !== JSON.stringify(this.state)) this.#state$.next(next);
  }
}

const stores = new WeakMap<object, SiteSettingsStore>();

/** The site store of a widget's store (made on first use). */
export function siteSettingsOf(owner: object): SiteSettingsStore {
  let site = stores.get(owner);
  if (!site) stores.set(owner, (site = new SiteSettingsStore()));
  return site;
}

/** Whether the team is in: true without a schedule. */
export const teamIn = (s: SiteState): boolean => s.hours === null || s.hours.open;

/**
 * The widget store's state and its site's together, on every change of either, from `start()` until `stop()`. By
 * hand: rxjs's combineLatest would go into the chunk the launcher shares with the window.
 */
export function withSite(store: { readonly state: WidgetState; readonly state$: Observable<WidgetState> }) {
  const both$ = new Subject<[WidgetState, SiteState]>();
  const site = siteSettingsOf(store);
  const emit = () => both$.next([store.state, site.state]);
  let subscriptions: Array<{ unsubscribe(): void }> = [];
  return {
    both$: both$.asObservable(),
    start: () => (subscriptions = [store.state$.subscribe(emit), site.state$.subscribe(emit)]),
    stop: () => subscriptions.forEach((s) => s.unsubscribe()),
  };
}

/** A field of the pre-chat form. */
export type PrechatField = 'name' | 'email' | 'phone' | 'department' | 'question' | 'consent';

/** The fields the form asks now: those the site wants, less the contact details the site or the visitor gave. */
export function prechatFields(
  prechat: Prechat,
  contact: { readonly name: string; readonly email: string; readonly phone: string },
): PrechatField[] {
  const fields: PrechatField[] = (['name', 'email', 'phone'] as const).filter(
    (f) => prechat[f] !== 'off' && !contact[f],
  );
  if (prechat.department.mode !== 'off') fields.push('department');
  if (prechat.question.mode !== 'off') fields.push('question');
  if (prechat.consent) fields.push('consent');
  return fields;
}

/** The site's pre-chat form, while the visitor has not sent it and it has something to ask; else null. */
export function prechatToAsk(
  site: SiteState,
  contact: { readonly name: string; readonly email: string; readonly phone: string },
): Prechat | null {
  const p = site.prechat;
  return p && !p.answered && !site.answer && prechatFields(p, contact).length ? p : null;
}
