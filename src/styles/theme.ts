import { css } from 'lit';

/**
 * The dark palette. Each value keeps WCAG AA on the dark background (#1c1f26): text 14.6:1, muted text 7.9:1, links
 * 7.9:1, errors 9.6:1 (also on the agent bubbles, #2b303a), field borders 5.4:1 (3:1 is needed). The accent and the text
 * on it are the site's colours (`color`, `color2`, --jivo-accent), as in light. A page's --jivo-* properties still win:
 * a site that sets them for its light pages sets them again in its own `prefers-color-scheme: dark` rule.
 */
const dark = css`
  color-scheme: dark;
  --jivo-_text: var(--jivo-text, #e8eaed);
  --jivo-_muted: var(--jivo-text-muted, #aab1bd);
  --jivo-_bg: var(--jivo-background, #1c1f26);
  --jivo-_surface: var(--jivo-surface, #2b303a);
  --jivo-_border: var(--jivo-border, #454c59);
  --jivo-_field: var(--jivo-border, #8b93a1);
  --jivo-_link: var(--jivo-link, #8ab4f8);
  --jivo-_error: var(--jivo-error, #f2b8b5);
  --jivo-_focus: var(--jivo-focus-ring, #8ab4f8);
  --jivo-_hover: rgb(255 255 255 / 0.14);
`;

/**
 * The `theme` attribute, which the root passes on to the window and the menu (the launcher is drawn in the site's
 * accent whatever the theme, so this lives in the window chunk): `dark`, or `auto` under a dark system setting. The
 * media query follows the setting live.
 */
export const themeStyles = css`
  :host([theme='dark']) {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    :host([theme='auto']) {
      ${dark}
    }
  }
`;
