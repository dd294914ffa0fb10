// Records what changes inside live regions, as a screen reader is told of it: every node added or removed and every
// text change inside an element with aria-live or an implicitly live role (log, status, alert), under a root and
// its descendants. A change is "announced" when the region's aria-relevant (default "additions text") covers it and the
// region is not hidden (display: none or visibility: hidden take it out of what screen readers are given).

import { visible } from './visible.js';

/** The live setting each role has without aria-live. */
const IMPLICIT_LIVE: Record<string, string> = { log: 'polite', status: 'polite', alert: 'assertive' };

export interface LiveChange {
  /** The region: its role (or `live`) and its accessible label, e.g. `log "Conversation with Visitor 1"`, `status`. */
  region: string;
  /** The region element itself. */
  element: Element;
  kind: 'added' | 'removed' | 'text';
  /** The text added, removed, or now in the changed text node (whitespace collapsed). */
  text: string;
  /** The whole region's text right after the change (what an atomic region, such as a status, reads). */
  regionText: string;
  /** Whether the region's aria-relevant covers this kind of change. */
  announced: boolean;
  at: number;
}

const squash = (text: string | null) => (text ?? '').replace(/\s+/g, ' ').trim();

function isLive(el: Element): boolean {
  const live = el.getAttribute('aria-live');
  return live ? live !== 'off' : IMPLICIT_LIVE[el.getAttribute('role') ?? ''] !== undefined;
}

/** The nearest live region that holds `node` (inside its own shadow root), or null. */
function regionOf(node: Node): Element | null {
  for (let el = node instanceof Element ? node : node.parentElement; el; el = el.parentElement)
    if (isLive(el)) return el;
  return null;
}

const regionName = (el: Element) => {
  const label = el.getAttribute('aria-label');
  return `${el.getAttribute('role') ?? 'live'}${label ? ` "${label}"` : ''}`;
};

function covers(region: Element, kind: LiveChange['kind']): boolean {
  const relevant = (region.getAttribute('aria-relevant') ?? 'additions text').split(/\s+/);
  if (relevant.includes('all')) return true;
  return relevant.includes(kind === 'added' ? 'additions' : kind === 'removed' ? 'removals' : 'text');
}

export interface LiveRecorder {
  /** Every change so far. */
  readonly changes: LiveChange[];
  /** The changes a screen reader would be told of. */
  announced(): LiveChange[];
  stop(): void;
}

/** Starts recording under `root` (a shadow root, say), and under every shadow root inside it. */
export function recordLiveRegions(root: Document | ShadowRoot): LiveRecorder {
  const changes: LiveChange[] = [];
  const push = (target: Node, kind: LiveChange['kind'], text: string) => {
    const region = regionOf(target);
    if (!region || !text) return;
    changes.push({
      region: regionName(region),
      element: region,
      kind,
      text,
      regionText: squash(region.textContent),
      announced: covers(region, kind) && visible(region),
      at: performance.now(),
    });
  };
  const observed = new Set<Node>();
  const observer = new MutationObserver((records) => handle(records));
  const observe = (node: Document | ShadowRoot) => {
    if (observed.has(node)) return;
    observed.add(node);
    observer.observe(node, { childList: true, characterData: true, subtree: true });
    for (const el of node.querySelectorAll('*')) if (el.shadowRoot) observe(el.shadowRoot);
  };
  const handle = (records: MutationRecord[]) => {
    for (const r of records) {
      if (r.type === 'characterData') {
        push(r.target, 'text', squash(r.target.textContent));
        continue;
      }
      for (const node of r.addedNodes) {
        if (node instanceof Element && node.shadowRoot) observe(node.shadowRoot);
        push(r.target, 'added', squash(node.textContent));
      }
      for (const node of r.removedNodes) push(r.target, 'removed', squash(node.textContent));
    }
  };
  observe(root);
  return {
    get changes() {
      handle(observer.takeRecords());
      return changes;
    },
    announced() {
      return this.changes.filter((c) => c.announced);
    },
    stop() {
      handle(observer.takeRecords());
      observer.disconnect();
    },
  };
}
