/**
 * Resolves in a task of its own: work that awaits it between its steps never makes one long task of the page's (over
 * 50 ms, which holds up the visitor's input). `scheduler.yield()` where the browser has it (the continuation keeps its
 * place ahead of other queued work, and a fake clock in a site's tests does not stop it), else a zero timeout.
 */
export function nextTask(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve));
}
