import { css } from 'lit';

/**
 * Shared by every element: box sizing, the widget's font, a focus ring, and a visually hidden helper for text that
 * only screen readers need. The design tokens (`--jivo-_*`) are set once by `<jivo-widget>` and inherited.
 */
export const baseStyles = css`
  :host {
    box-sizing: border-box;
    font-family: var(--jivo-_font);
    color: var(--jivo-_text);
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  [hidden] {
    display: none !important;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  :focus-visible {
    outline: 3px solid var(--jivo-_focus);
    outline-offset: 2px;
  }
  /* Icons that point along the line (send, leave) point the other way in right-to-left text. */
  svg.directional:dir(rtl) {
    transform: scaleX(-1);
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation-duration: 0.01ms !important;
      transition-duration: 0.01ms !important;
    }
  }
`;
