/**
 * Whether a visitor can see `element`: it has a box and is not `visibility: hidden` (the chat window is on the page,
 * hidden, before it opens).
 */
export const visible = (element: Element | null | undefined): boolean =>
  !!element?.checkVisibility({ visibilityProperty: true });
