import { css } from 'lit';

/** Over the forms' shared styles (styles/form.ts): a card in place of the composer until the chat starts. */
export const prechatFormStyles = css`
  :host {
    flex: 0 1 auto;
    min-height: 0;
    max-block-size: 80%;
    border-block-start: 1px solid var(--jivo-_border);
  }
  h3 {
    margin: 0;
    font-size: 15px;
  }
  select {
    inline-size: 100%;
    min-block-size: 44px;
    padding-block: 8px;
    padding-inline: 10px;
    border: 1px solid var(--jivo-border, #767f8c);
    border-radius: 8px;
    background: var(--jivo-_bg);
    color: var(--jivo-_text);
    font: inherit;
    font-size: 16px;
  }
  select[aria-invalid='true'] {
    border-color: var(--jivo-_error);
  }
  .consent {
    display: grid;
    grid-template-columns: auto 1fr;
    align-items: start;
    column-gap: 8px;
    row-gap: 4px;
    font-size: 14px;
  }
  .consent input {
    inline-size: 24px;
    block-size: 24px;
    margin: 0;
  }
  .consent label {
    margin: 0;
    font-weight: normal;
    font-size: 14px;
  }
  .consent a,
  .consent .error {
    grid-column: 2;
  }
  .consent a {
    display: inline-block;
    min-block-size: 24px;
    color: var(--jivo-_link);
  }
`;
