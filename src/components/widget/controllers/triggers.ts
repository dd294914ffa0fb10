import type { ReactiveController } from 'lit';
import { fail, ok, type ApiResult } from '../../../api/result.js';
import type { WidgetStore } from '../../../state/store.js';
import type { TriggerEngine } from '../../../triggers/engine.js';
import { parseRules } from '../../../triggers/parse.js';
import type { TriggerAction, TriggerRule } from '../../../triggers/types.js';
import type { WidgetHost } from './host.js';
import { startTriggerEngine } from './trigger-engine.js';
import type { SessionController } from './session.js';
import type { StorageController } from './storage.js';

/**
 * Runs the `setRules` trigger rules against this page view. Their bookkeeping (visit start, once per day or session) is
 * kept under the widget id, shared by the site's tabs. With a backend, rules wait for its first welcome, so that
 * `agents_online` is known before anything is judged on it. It comes with the window chunk: the root element adds it
 * once that is there.
 */
export class TriggersController implements ReactiveController {
  readonly #host: WidgetHost;
  readonly #store: WidgetStore;
  readonly #storage: StorageController;
  readonly #session: SessionController;
  /** The rules of `setRules`, kept while the element moves in the DOM or switches widget id. */
  #rules: readonly TriggerRule[] = [];
  #engine?: TriggerEngine;
  /** Rules that fired in this page view under this widget id, for an engine that takes over after a move. */
  #fired: readonly string[] = [];

  constructor(host: WidgetHost, store: WidgetStore, storage: StorageController, session: SessionController) {
    this.#host = host;
    this.#store = store;
    this.#storage = storage;
    this.#session = session;
    host.addController(this);
  }

  hostConnected(): void {
    this.start();
  }

  hostDisconnected(): void {
    this.stop();
  }

  start(): void {
    this.#engine = startTriggerEngine(this.#store, {
      rules: this.#rules,
      storage: this.#storage.storage,
      key: this.#storage.key('triggers'),
      backend: this.#session.running,
      fired: this.#fired,
      act: (action) => this.#act(action),
    });
  }

  /** Stops the engine; `forget`: the widget id changed, so what fired under the old one no longer counts. */
  stop(forget = false): void {
    if (this.#engine) this.#fired = this.#engine.firedThisPageView;
    this.#engine?.destroy();
    this.#engine = undefined;
    if (forget) this.#fired = [];
  }

  /** Validates and applies new rules; invalid ones fail with the reason and the old rules stay. */
  setRules(rules: unknown): ApiResult {
    const parsed = parseRules(rules);
    if (!parsed.ok) return fail(parsed.reason);
    this.#rules = parsed.rules;
    this.#engine?.setRules(parsed.rules);
    return ok();
  }

  #act(action: TriggerAction): void {
    if (action.type === 'show_invitation') this.#host.showProactiveInvitation(action.text, action.department);
    else if (action.type === 'open_offline_form') this.#store.openOfflineForm();
    else if (action.type === 'open_callback_form') this.#host.open({ start: 'call' });
    else this.#store.hide();
  }
}
