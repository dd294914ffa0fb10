import { css } from 'lit';

export const composerStyles = css`
  :host {
    display: block;
  }
  form {
    display: flex;
    align-items: flex-end;
    gap: 8px;
    padding: 10px 12px;
    border-top: 1px solid var(--jivo-_border);
    background: var(--jivo-_bg);
  }
  textarea {
    flex: 1;
    min-height: 40px;
    max-height: 140px;
    padding: 9px 12px;
    /* A field's border is its only outline, so by default it is darker than the dividers (--jivo-_border): 4.05:1 on
       white, where 3:1 is needed. A page's --jivo-border sets both. */
    border: 1px solid var(--jivo-_field, var(--jivo-border, #767f8c));
    border-radius: 20px;
    background: var(--jivo-_bg);
    color: var(--jivo-_text);
    font: inherit;
    font-size: 16px;
    line-height: 20px;
    resize: none;
    field-sizing: content;
  }
  textarea::placeholder {
    color: var(--jivo-_muted);
  }
  .send {
    display: inline-grid;
    place-items: center;
    flex: none;
    width: 40px;
    height: 40px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: var(--jivo-_accent-bg);
    color: var(--jivo-_on-accent);
  }
  .attach {
    display: inline-grid;
    place-items: center;
    flex: none;
    width: 40px;
    height: 40px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: var(--jivo-_muted);
  }
  .attach svg {
    width: 22px;
    height: 22px;
    fill: currentColor;
  }
  .send svg {
    width: 20px;
    height: 20px;
    fill: currentColor;
  }
  /* Forced colours drop backgrounds and shadows: a system-coloured border keeps the boundary. */
  @media (forced-colors: active) {
    .send {
      border: 1px solid ButtonText;
    }
  }
`;
