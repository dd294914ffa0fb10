import { css } from 'lit';

/** Over the offline form's styles, which it shares: a card between the conversation and the composer. */
export const contactsFormStyles = css`
  :host {
    flex: 0 1 auto;
    min-height: 0;
    max-height: 75%;
    border-top: 1px solid var(--jivo-_border);
  }
  h3 {
    margin: 0;
    font-size: 15px;
  }
  p {
    margin: 0;
  }
  .actions {
    display: flex;
    gap: 8px;
  }
  .primary {
    flex: 1;
  }
  .secondary {
    min-height: 44px;
    padding: 0 16px;
    border: 1px solid var(--jivo-_border);
    border-radius: 22px;
    background: none;
    color: var(--jivo-_text);
  }
`;
