import { css } from 'lit';

export const attachmentStyles = css`
  :host {
    display: block;
    /* The bubble's colours (the accent's text colour in the visitor's own bubble). */
    color: inherit;
  }
  .file {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 4px 8px;
  }
  .name {
    overflow-wrap: anywhere;
    font-weight: 600;
  }
  .size {
    opacity: 0.85;
    font-size: 0.875em;
  }
  .error {
    flex-basis: 100%;
    font-size: 0.875em;
  }
  progress {
    flex-basis: 100%;
    height: 6px;
  }
  .action,
  .download {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-width: 24px;
    min-height: 24px;
    padding: 2px;
    border: 1px solid currentColor;
    border-radius: 6px;
    background: transparent;
  }
  .download {
    padding: 4px 8px;
    text-align: start;
  }
  svg {
    width: 18px;
    height: 18px;
    flex: none;
    fill: currentColor;
  }
  .image {
    display: block;
    line-height: 0;
  }
  img {
    display: block;
    max-width: min(220px, 100%);
    max-height: 160px;
    border-radius: 8px;
    object-fit: contain;
  }
`;
