/** Calls a function the page gave us; if it throws, the error is logged and the widget goes on. */
export function safeCall(fn: (...args: never[]) => unknown, args: unknown[], what: string, thisArg?: unknown): void {
  try {
    (fn as (...a: unknown[]) => unknown).apply(thisArg, args);
  } catch (error) {
    console.error(`jivo-widget: ${what} threw; the widget goes on.`, error);
  }
}
