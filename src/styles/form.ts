import { css } from 'lit';

/** The forms' look (the offline, contacts and callback forms): fields, labels, errors and buttons. */
export const formStyles = css`
  :host {
    display: block;
    overflow-y: auto;
    padding: 16px;
    background: var(--jivo-_bg);
  }
  p {
    margin: 0 0 12px;
    font-size: 14px;
    line-height: 1.4;
  }
  form {
    display: grid;
    gap: 10px;
  }
  label {
    display: block;
    margin-bottom: 4px;
    font-size: 13px;
    font-weight: 600;
  }
  input,
  textarea {
    width: 100%;
    padding: 8px 10px;
    /* A field's border is its only outline, so by default it is darker than the dividers (--jivo-_border): 4.05:1 on
       white, where 3:1 is needed. A page's --jivo-border sets both. */
    border: 1px solid var(--jivo-_field, var(--jivo-border, #767f8c));
    border-radius: 8px;
    background: var(--jivo-_bg);
    color: var(--jivo-_text);
    font: inherit;
    font-size: 16px;
  }
  textarea {
    min-height: 96px;
    resize: vertical;
  }
  [aria-invalid='true'] {
    border-color: var(--jivo-_error);
  }
  .error {
    margin: 4px 0 0;
    font-size: 13px;
    color: var(--jivo-_error);
  }
  .primary {
    min-height: 44px;
    border: 0;
    border-radius: 22px;
    background: var(--jivo-_accent-bg);
    color: var(--jivo-_on-accent);
    font-weight: 600;
  }
  .link {
    padding: 0;
    border: 0;
    background: none;
    color: var(--jivo-_link);
    text-decoration: underline;
  }
  /* Forced colours drop backgrounds and shadows: a system-coloured border keeps the boundary. */
  @media (forced-colors: active) {
    .primary {
      border: 1px solid ButtonText;
    }
  }
`;
