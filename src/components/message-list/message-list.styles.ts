import { css } from 'lit';

export const messageListStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-height: 0;
  }
  .log {
    flex: 1;
    min-height: 0;
    overflow-y: auto;
    overscroll-behavior: contain;
    padding: 16px;
    background: var(--jivo-_bg);
  }
  /* Inside the log's own box: the window clips what is outside it, and the header and composer touch it. */
  .log:focus-visible {
    outline-offset: -3px;
  }
  ol {
    display: flex;
    flex-direction: column;
    gap: 8px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  li {
    max-width: 85%;
    display: flex;
    flex-direction: column;
    gap: 2px;
  }
  .visitor {
    align-self: flex-end;
    align-items: flex-end;
  }
  .agent {
    align-self: flex-start;
    align-items: flex-start;
  }
  .bubble {
    margin: 0;
    padding: 9px 13px;
    border-radius: 16px;
    font-size: 14px;
    line-height: 1.4;
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .visitor .bubble {
    border-end-end-radius: 4px;
    background: var(--jivo-_accent-bg);
    color: var(--jivo-_on-accent);
  }
  .agent .bubble {
    border-end-start-radius: 4px;
    background: var(--jivo-_surface);
  }
  .bubble a {
    color: inherit;
    text-decoration: underline;
  }
  .visitor .bubble a:focus-visible {
    outline-color: var(--jivo-_on-accent);
  }
  .author,
  .meta {
    font-size: 12px;
    color: var(--jivo-_muted);
  }
  .byline {
    display: flex;
    gap: 6px;
    align-items: center;
  }
  .avatar {
    flex: none;
    width: 24px;
    height: 24px;
    border-radius: 50%;
    object-fit: cover;
  }
  .initials {
    display: inline-grid;
    place-items: center;
    background: var(--jivo-_surface, #eef1f5);
    color: var(--jivo-_text);
    font-size: 10px;
    font-weight: 700;
  }
  .meta {
    display: flex;
    gap: 6px;
    align-items: center;
  }
  .failed {
    color: var(--jivo-_error);
    font-weight: 600;
  }
  .retry {
    padding: 0;
    border: 0;
    background: none;
    color: var(--jivo-_link);
    font-size: 12px;
    text-decoration: underline;
  }
  .earlier {
    display: block;
    flex: none;
    margin: 6px auto 0;
    padding: 4px 8px;
    border: 0;
    background: none;
    color: var(--jivo-_link);
    font-size: 13px;
    text-decoration: underline;
  }
  .empty {
    margin: 24px 8px;
    text-align: center;
    font-size: 14px;
    color: var(--jivo-_muted);
  }
  /* Quick replies: under the agent's message, wrapping; each a 32 px tall target at least (24 px is the minimum). */
  .replies {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
    margin-block-start: 8px;
    max-inline-size: 100%;
  }
  .replies button {
    min-block-size: 32px;
    min-inline-size: 32px;
    padding-block: 4px;
    padding-inline: 12px;
    border: 1px solid var(--jivo-_link);
    border-radius: 16px;
    background: var(--jivo-_bg);
    color: var(--jivo-_link);
    font: inherit;
    font-size: 14px;
    overflow-wrap: anywhere;
    text-align: start;
  }
  .replies button:hover {
    background: var(--jivo-_surface);
  }
  /* Forced colours drop backgrounds and shadows: a system-coloured border keeps the boundary. */
  @media (forced-colors: active) {
    .bubble {
      border: 1px solid CanvasText;
    }
    .replies button {
      border-color: ButtonText;
      color: ButtonText;
    }
  }
`;
