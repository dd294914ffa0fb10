import type { JivoApiMethods, JivoCommand } from './types.js';

/**
 * Runs what the page queued in `window.jivo_queue` before the widget loaded, in order, and makes later pushes run at
 * once. A page can queue as soon as it starts, before the widget's script has loaded (a module script runs after the
 * page's inline scripts, so `jivo_api` is not there yet):
 *
 * ```js
 * window.jivo_queue = window.jivo_queue || [];
 * jivo_queue.push(function (api) { var result = api.setContactInfo({ name: 'Ann' }); });
 * jivo_queue.push(['setCustomData', [{ title: 'Plan', content: 'Gold' }]]);
 * ```
 *
 * A function gets `jivo_api` and sees every result; an array names a method and its arguments. The window chunk runs
 * this when a widget has loaded, before `jivo_onLoadCallback`, so queued calls meet a whole widget.
 */
export function drainQueue(win: Window): void {
  const queued = win.jivo_queue;
  const api = win.jivo_api!;
  const run = (command: JivoCommand): void => {
    const [name, ...args] = Array.isArray(command) ? command : [];
    const method = typeof name === 'string' && Object.hasOwn(api, name) ? api[name as keyof JivoApiMethods] : null;
    try {
      if (typeof command === 'function') command(api);
      else if (typeof method === 'function') (method as (...a: unknown[]) => unknown)(...args);
      else console.warn('jivo-widget: jivo_queue takes a function or [method name, ...arguments]', command);
    } catch (error) {
      // The page's own code: what it throws is logged, and the queue and the widget go on.
      console.error('jivo-widget: a jivo_queue call threw; the queue goes on.', error);
    }
  };
  // From now on a push runs at once: the page's code need not know whether the widget is there yet.
  win.jivo_queue = {
    push(...commands: JivoCommand[]): number {
      commands.forEach(run);
      return 0;
    },
  };
  if (Array.isArray(queued)) queued.forEach(run);
}
