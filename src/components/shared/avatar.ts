import { html, type ReactiveControllerHost } from 'lit';

/** Photos that failed to load: their initials show instead, everywhere. */
const failed = new Set<string>();

/** Up to two initials of a name ("Alice Smith" → "AS", "alice" → "A"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const letters = words.length > 1 ? [words[0], words[words.length - 1]] : words;
  return letters.map((w) => [...w][0]?.toLocaleUpperCase() ?? '').join('');
}

/**
 * An agent's picture: their photo (an https URL the backend checked) with `alt` as its text alternative, or their
 * initials when they have none or it fails to load. Initials repeat a name said beside them: hidden from assistive
 * technology, as is a photo whose `alt` is empty.
 */
export function renderAvatar(host: ReactiveControllerHost, name: string, photo: string | undefined, alt: string) {
  if (photo && !failed.has(photo))
    return html`<img
      class="avatar"
      src=${photo}
      alt=${alt}
      referrerpolicy="no-referrer"
      @error=${() => {
        failed.add(photo);
        host.requestUpdate();
      }}
    />`;
  return html`<span class="avatar initials" aria-hidden="true">${initials(name)}</span>`;
}
