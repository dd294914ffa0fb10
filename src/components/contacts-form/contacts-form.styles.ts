import { css } from 'lit';

/** Over the forms' shared styles (styles/form.ts): a card between the conversation and the composer. */
export const contactsFormStyles = css`
  :host {
    flex: 0 1 auto;
    min-height: 0;
    max-height: 75%;
    border-top: 1px solid var(--jivo-_border);
  }
  h3,
  p {
    margin: 0;
  }
  h3 {
    font-size: 15px;
  }
  .actions {
    display: flex;
    gap: 16px;
  }
  .primary {
    flex: 1;
  }
`;
