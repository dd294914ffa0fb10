import { css } from 'lit';
import { tokens } from '../../styles/tokens.js';

export const widgetStyles = css`
  :host {
    display: contents;
  }
  .root {
    ${tokens}

    position: fixed;
    z-index: var(--jivo-z-index, 2147483000);
    bottom: var(--jivo-_offset-y);
    right: var(--jivo-_offset-x);
    display: flex;
    flex-direction: column;
    align-items: flex-end;
    gap: 12px;
    font-family: var(--jivo-_font);
    font-size: 14px;
    color: var(--jivo-_text);
    line-height: normal;
    text-align: start;
  }
  :host([position='left']) .root {
    right: auto;
    left: var(--jivo-_offset-x);
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
