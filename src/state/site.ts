/**
 * What the site shows of its team (the backend's welcome: model/site-profile.ts): the team's name and greeting before
 * an agent accepts, the messenger channels of the channel menu, and the photos of the agents who answered (by name,
 * as the backend last told them; a photo removed is forgotten). Next to the widget's store, found through
 * `siteOf(store)`, so that only the window chunk carries it.
 */
import { BehaviorSubject, type Observable } from 'rxjs';
import type { SiteProfile } from '../model/site-profile.js';

export class SiteStore {
  readonly #profile$ = new BehaviorSubject<SiteProfile | null>(null);
  /** The profile, now and on every change; null until the backend has said, or when the site configured none. */
  readonly profile$: Observable<SiteProfile | null> = this.#profile$.asObservable();

  get profile(): SiteProfile | null {
    return this.#profile$.value;
  }

  set(profile: SiteProfile | null): void {
    if (JSON.stringify(profile) !== JSON.stringify(this.profile)) this.#profile$.next(profile);
  }

  readonly #photos$ = new BehaviorSubject<ReadonlyMap<string, string>>(new Map());
  /** Agents' photos by name, now and on every change. */
  readonly photos$: Observable<ReadonlyMap<string, string>> = this.#photos$.asObservable();

  get photos(): ReadonlyMap<string, string> {
    return this.#photos$.value;
  }

  /** The backend told who answers: their photo, or (undefined) that they have none. */
  setPhoto(name: string, photo: string | undefined): void {
    const photos = this.#photos$.value;
    if (photos.get(name) === photo) return;
    const next = new Map(photos);
    if (photo) next.set(name, photo);
    else next.delete(name);
    this.#photos$.next(next);
  }
}

const stores = new WeakMap<object, SiteStore>();

/** The site profile that goes with a widget's store (made on first use). */
export function siteOf(widgetStore: object): SiteStore {
  let store = stores.get(widgetStore);
  if (!store) stores.set(widgetStore, (store = new SiteStore()));
  return store;
}
