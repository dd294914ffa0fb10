import { css } from 'lit';

export const chatEndStyles = css`
  :host {
    display: block;
  }
  .panel {
    display: grid;
    gap: 10px;
    padding: 12px 16px;
    border-top: 1px solid var(--jivo-_border);
    background: var(--jivo-_bg);
    font-size: 14px;
  }
  p,
  h3 {
    margin: 0;
    font-size: 14px;
    line-height: 1.4;
  }
  h3 {
    font-weight: 600;
  }
  .actions,
  .rates {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .rates button,
  .secondary {
    min-height: 40px;
    padding: 0 16px;
    border: 1px solid var(--jivo-border, #767f8c);
    border-radius: 20px;
    background: var(--jivo-_bg);
  }
  .rates button[aria-pressed='true'] {
    border-color: var(--jivo-_accent);
    background: var(--jivo-_accent-bg);
    color: var(--jivo-_on-accent);
  }
  .rates svg {
    width: 18px;
    height: 18px;
    margin-inline-end: 6px;
    vertical-align: -3px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linejoin: round;
  }
  label {
    display: block;
    margin-bottom: 4px;
    font-size: 13px;
    font-weight: 600;
  }
  textarea {
    width: 100%;
    min-height: 56px;
    padding: 8px 10px;
    border: 1px solid var(--jivo-border, #767f8c);
    border-radius: 8px;
    background: var(--jivo-_bg);
    color: var(--jivo-_text);
    font: inherit;
    font-size: 16px;
    resize: vertical;
  }
  .primary {
    min-height: 40px;
    padding: 0 18px;
    border: 0;
    border-radius: 20px;
    background: var(--jivo-_accent-bg);
    color: var(--jivo-_on-accent);
    font-weight: 600;
  }
  .link {
    min-height: 24px;
    padding: 0;
    border: 0;
    background: none;
    color: var(--jivo-_link);
    text-decoration: underline;
  }
  .error {
    color: var(--jivo-_error);
    font-size: 13px;
  }
  @media (forced-colors: active) {
    .primary,
    .rates button[aria-pressed='true'] {
      border: 2px solid ButtonText;
    }
  }
`;
