// Injected into every bench page before its own scripts (Page.addScriptToEvaluateOnNewDocument). Browser code, no
// imports. It gives the harness `window.__bench`:
//  - timers: setTimeout, setInterval, requestAnimationFrame and requestIdleCallback are wrapped; each call and each
//    callback run is counted (cheaply, always), and while `watch(true)` is on each call also records who made it
//    (the first stack frame outside this script), so idle activity can be traced to its source.
//  - whenVisible(path, text?): resolves with performance.now() at the end of the first frame in which the element at
//    `path` (selectors applied through shadow roots in turn; containing `text` if given) has a non-empty box: checked
//    in requestAnimationFrame, then timed from a MessageChannel task queued there, which runs once that frame has been
//    rendered.
//  - visible: a promise of whenVisible(__BENCH_TARGET__) started at document start, for "launcher visible".
//  - longTasks: every main-thread task over 50 ms since document start ({ start, duration }), from the Long Tasks
//    API: what total blocking time (as PageSpeed counts it) is made of.
// The bench's own rAF loop, MessageChannel and timers use the unwrapped originals, so they are never counted.
(() => {
  const raf = window.requestAnimationFrame.bind(window);
  const originals = { setTimeout: window.setTimeout.bind(window), clearTimeout: window.clearTimeout.bind(window) };
  const counts = {};
  let watching = false;
  const sources = {};
  const bump = (key) => (counts[key] = (counts[key] ?? 0) + 1);

  /** The first stack line that is not this script: who scheduled the callback. */
  function caller() {
    const lines = String(new Error().stack).split('\n').slice(1);
    const line = lines.find((l) => !l.includes('__bench') && !l.includes('pptr:') && !l.includes('instrument')) ?? '?';
    return line
      .trim()
      .replace(/^at /, '')
      .replace(/https?:\/\/[^/]+/, '');
  }

  function wrap(name) {
    const original = window[name];
    if (typeof original !== 'function') return;
    window[name] = function (callback, ...rest) {
      bump(`${name}`);
      if (watching) {
        const where = `${name} ${caller()}`;
        sources[where] = (sources[where] ?? 0) + 1;
      }
      const wrapped =
        typeof callback === 'function'
          ? function (...args) {
              bump(`${name}:run`);
              return callback.apply(this, args);
            }
          : callback;
      return original.call(this, wrapped, ...rest);
    };
    window[name].__benchWrapped = true;
  }
  ['setTimeout', 'setInterval', 'requestAnimationFrame', 'requestIdleCallback'].forEach(wrap);

  const afterFrame = () =>
    new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(0);
    });

  function find(path) {
    let root = document;
    let el = null;
    for (const selector of path) {
      el = root?.querySelector(selector) ?? null;
      if (!el) return null;
      root = el.shadowRoot;
    }
    return el;
  }

  function whenVisible(path, text) {
    return new Promise((resolve) => {
      const check = () => {
        const el = find(path);
        const box = el && (text === undefined || el.textContent.includes(text)) ? el.getBoundingClientRect() : null;
        if (box && box.width > 0 && box.height > 0) afterFrame().then(resolve);
        else raf(check);
      };
      raf(check);
    });
  }

  const longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No Long Tasks API: the blocking figures stay empty.
  }

  const target = typeof __BENCH_TARGET__ === 'undefined' ? null : __BENCH_TARGET__;
  window.__bench = {
    counts,
    sources,
    longTasks,
    find,
    whenVisible,
    afterFrame,
    visible: target ? whenVisible(target) : null,
    loaded: new Promise((resolve) => window.addEventListener('load', () => resolve(performance.now()), { once: true })),
    /** Resolves after two more frames have been rendered: what the page had to do by now is on screen. */
    settle: () => new Promise((resolve) => raf(() => raf(() => afterFrame().then(resolve)))),
    sleep: (ms) => new Promise((resolve) => originals.setTimeout(resolve, ms)),
    /** Starts or stops recording who schedules callbacks; returns the counts so far. */
    watch(on) {
      watching = on;
      return { ...counts };
    },
  };
})();
