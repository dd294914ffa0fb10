import { css } from 'lit';
import { tokens } from '../../styles/tokens.js';

/**
 * The root: where the page's inherited styles stop. Inherited properties cross the shadow boundary, so a theme's
 * letter-spacing, text-transform, line-height, word-spacing, font-style, text-shadow, cursor, visibility, list-style,
 * quotes, hyphens and the rest (on body, html or \`*\`, which matches the host but nothing inside it) would reach every
 * text of the widget. \`all: initial\` on the first element inside the shadow root resets all of them to their initial
 * values, and cannot lose to a page rule (those do not reach inside). It leaves alone what it must: the custom
 * properties (the page's --jivo-* theming) and \`direction\` (a right-to-left page stays right-to-left).
 */
export const widgetStyles = css`
  :host {
    display: contents;
  }
  .root {
    all: initial;
    ${tokens}

    position: fixed;
    z-index: var(--jivo-z-index, 2147483000);
    bottom: var(--jivo-_offset-y);
    inset-inline-end: var(--jivo-_offset-x);
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 12px;
    font-family: var(--jivo-_font);
    font-size: 14px;
    color: var(--jivo-_text);
  }
  /* Corners are logical: in right-to-left text the default corner is the bottom left, and 'left' the bottom right. */
  :host([position='left']) .root {
    inset-inline-end: auto;
    inset-inline-start: var(--jivo-_offset-x);
    align-items: flex-start;
  }
  @media (max-width: 479.98px) {
    .root.full {
      inset: var(--jivo-_viewport-top, 0) 0 auto 0;
      height: var(--jivo-_viewport-height, 100dvh);
    }
    .root.full > * {
      flex: 1;
      min-height: 0;
      align-self: stretch;
    }
  }
`;
