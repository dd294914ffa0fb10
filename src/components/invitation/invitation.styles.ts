import { css } from 'lit';

export const invitationStyles = css`
  :host {
    display: block;
    margin-bottom: 12px;
  }
  .bubble {
    position: relative;
    max-width: 85%;
    padding: 10px 40px 10px 13px;
    border-radius: 16px;
    border-end-start-radius: 4px;
    background: var(--jivo-_surface);
    font-size: 14px;
    line-height: 1.4;
  }
  .from {
    display: block;
    margin-bottom: 2px;
    font-size: 12px;
    color: var(--jivo-_muted);
  }
  p {
    margin: 0;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .icon-button {
    position: absolute;
    top: 2px;
    inset-inline-end: 2px;
    width: 32px;
    height: 32px;
  }
  .icon-button svg {
    width: 14px;
    height: 14px;
  }
`;
