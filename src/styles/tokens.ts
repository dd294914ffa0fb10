import { css } from 'lit';

/**
 * The design tokens, as declarations for the element that holds the widget (the root's wrapper, or a test's provider).
 * Page authors set the public --jivo-* properties on the element; the color and color2 attributes only supply
 * defaults (--jivo-_attr-*), so page CSS always wins.
 */
export const tokens = css`
  --jivo-_accent: var(--jivo-accent, var(--jivo-_attr-accent, #2a5bd7));
  --jivo-_accent-bg: var(--jivo-accent-background, var(--jivo-accent, var(--jivo-_attr-accent-bg, #2a5bd7)));
  --jivo-_on-accent: var(--jivo-on-accent, var(--jivo-_attr-on-accent, #ffffff));
  --jivo-_text: var(--jivo-text, #1d2330);
  --jivo-_muted: var(--jivo-text-muted, #5b6472);
  --jivo-_bg: var(--jivo-background, #ffffff);
  --jivo-_surface: var(--jivo-surface, #eef1f5);
  --jivo-_border: var(--jivo-border, #c9ced6);
  --jivo-_link: var(--jivo-link, #1f4fc4);
  --jivo-_error: var(--jivo-error, #b3261e);
  --jivo-_focus: var(--jivo-focus-ring, #1a73e8);
  --jivo-_radius: var(--jivo-radius, 16px);
  --jivo-_font: var(--jivo-font, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
  --jivo-_offset-x: var(--jivo-offset-x, 20px);
  --jivo-_offset-y: var(--jivo-offset-y, 20px);
`;
