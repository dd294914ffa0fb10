import { css } from 'lit';

export const chatWindowStyles = css`
  :host {
    display: block;
  }
  /* Rendered ahead of opening (<jivo-widget>): laid out, but out of the flow (the widget keeps its launcher's size),
     invisible, and so out of reach of the pointer, the keyboard and screen readers. */
  :host(.prepared) {
    position: absolute;
    bottom: 0;
    inset-inline-end: 0;
    visibility: hidden;
  }
  .drop {
    position: absolute;
    inset: 8px;
    z-index: 2;
    display: grid;
    place-items: center;
    border: 2px dashed var(--jivo-_accent);
    border-radius: var(--jivo-_radius);
    background: var(--jivo-_bg);
    color: var(--jivo-_text);
    font-weight: 600;
    pointer-events: none;
  }
  .window {
    position: relative;
    display: flex;
    flex-direction: column;
    width: var(--jivo-window-width, 370px);
    height: var(--jivo-window-height, 560px);
    max-height: calc(100vh - 2 * var(--jivo-_offset-y));
    overflow: hidden;
    border-radius: var(--jivo-_radius);
    background: var(--jivo-_bg);
    box-shadow: 0 12px 48px rgb(0 0 0 / 0.25);
  }
  header {
    display: flex;
    align-items: center;
    gap: 8px;
    padding: 12px 8px 12px 18px;
    background: var(--jivo-_accent-bg);
    color: var(--jivo-_on-accent);
  }
  /* The page's ring colour may be as dark as the accent; the text colour on the accent always reads on it. */
  header :focus-visible {
    outline-color: var(--jivo-_on-accent);
  }
  .notify[aria-pressed='true'] {
    background: rgb(255 255 255 / 0.28);
  }
  .notify[aria-pressed='true'] svg {
    fill: currentColor;
  }
  .notify[aria-disabled='true'] {
    opacity: 0.6;
  }
  .avatar {
    flex: none;
    width: 36px;
    height: 36px;
    border-radius: 50%;
    object-fit: cover;
  }
  .initials {
    display: inline-grid;
    place-items: center;
    border: 1px solid currentColor;
    font-size: 14px;
    font-weight: 700;
  }
  .greeting {
    margin: 0;
    padding: 10px 16px;
    border-bottom: 1px solid var(--jivo-_border);
    font-size: 14px;
    line-height: 1.4;
    white-space: pre-line;
  }
  .heading {
    flex: 1;
    min-width: 0;
  }
  h2 {
    margin: 0;
    font-size: 17px;
    font-weight: 700;
  }
  .status {
    display: flex;
    align-items: center;
    gap: 6px;
    margin: 2px 0 0;
    font-size: 13px;
  }
  .dot {
    flex: none;
    width: 8px;
    height: 8px;
    border: 1px solid currentColor;
    border-radius: 50%;
  }
  .online .dot {
    background: #2ecc71;
  }
  jivo-message-list,
  jivo-offline-form,
  jivo-callback-form {
    flex: 1;
    min-height: 0;
  }
  jivo-callback-form.over {
    flex: none;
    max-height: 60%;
  }
  .hours {
    margin: 0;
    padding-block: 8px;
    padding-inline: 16px;
    border-block-end: 1px solid var(--jivo-_border);
    background: var(--jivo-_surface);
    font-size: 14px;
    line-height: 1.4;
  }
  .typing {
    margin: 0;
    padding: 4px 16px;
    font-size: 12px;
    color: var(--jivo-_muted);
  }
  @media (max-width: 479.98px) {
    :host {
      height: 100%;
    }
    .window {
      width: 100%;
      height: 100%;
      max-height: none;
      border-radius: 0;
    }
  }
  /* Forced colours drop backgrounds and shadows: a system-coloured border keeps the boundary. */
  @media (forced-colors: active) {
    .window {
      border: 1px solid CanvasText;
    }
    .notify[aria-pressed='true'] {
      outline: 2px solid ButtonText;
    }
  }
`;
