import { css } from 'lit';

export const agentConsoleStyles = css`
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 0;
    color: #1d2330;
    font: 15px/1.45 system-ui, sans-serif;
    --accent: #2a5bd7;
    --muted: #5b6472;
    --border: #dde1e7;
    --surface: #eef1f5;
  }
  h1 {
    margin: 0;
    font-size: 18px;
  }
  h2 {
    margin: 0;
    font-size: 17px;
  }
  h3 {
    margin: 0 0 4px;
    font-size: 15px;
  }
  p {
    margin: 2px 0;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
  }
  .call.requested,
  .call.connected {
    border-color: var(--accent);
  }
  button {
    padding: 4px 10px;
    border: 1px solid var(--border);
    border-radius: 6px;
    background: #fff;
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    cursor: default;
    opacity: 0.55;
  }
  button[aria-pressed='true'] {
    border-color: var(--accent);
    background: #e3ebfc;
  }
  button.online {
    border-color: #0b7a53;
    background: #dff3ea;
  }
  .primary {
    border-color: var(--accent);
    background: var(--accent);
    color: #fff;
  }
  :focus-visible {
    outline: 2px solid var(--accent);
    outline-offset: 2px;
  }
  /* Inside the boxes that scroll, flush with their edges: a ring drawn outside would be cut off. */
  .chat-item:focus-visible,
  .log:focus-visible {
    outline-offset: -2px;
  }
  a {
    color: #1f4fc4;
  }
  .muted {
    color: var(--muted);
  }
  /* The status region: read by screen readers, not shown. */
  .announcer {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .warning {
    color: #8a4b00;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    align-items: center;
  }
  .top {
    display: flex;
    flex-wrap: wrap;
    gap: 12px;
    align-items: center;
    padding: 10px 16px;
    border-bottom: 1px solid var(--border);
    background: #fff;
  }
  .who {
    font-weight: 600;
  }
  .spacer {
    flex: 1;
  }
  .notice {
    padding: 8px 16px;
    background: #fff4d6;
    border-bottom: 1px solid #e9cf86;
  }
  /* No column grows with its content: a long page address or tab row wraps or is cut, never widens the page. */
  .layout {
    display: grid;
    grid-template-columns: minmax(240px, 320px) minmax(0, 1fr);
    flex: 1;
    min-height: 0;
  }
  nav {
    display: flex;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
    border-right: 1px solid var(--border);
    background: #fff;
  }
  .tabs {
    display: flex;
    flex-wrap: wrap;
    gap: 6px;
    padding: 8px;
    border-bottom: 1px solid var(--border);
  }
  ul,
  ol {
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .chats {
    overflow: auto;
  }
  .chats > li.muted {
    padding: 12px;
  }
  .chat-item {
    display: flex;
    flex-direction: column;
    gap: 2px;
    width: 100%;
    padding: 8px 12px;
    border: 0;
    border-bottom: 1px solid var(--border);
    border-radius: 0;
    text-align: left;
  }
  .chat-item[aria-current='true'] {
    background: #e3ebfc;
  }
  .page-line {
    overflow: hidden;
    color: var(--muted);
    font-size: 13px;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .own-photo {
    width: 24px;
    height: 24px;
    margin-right: 6px;
    border-radius: 50%;
    object-fit: cover;
    vertical-align: middle;
  }
  .profile form {
    display: grid;
    gap: 4px;
    max-width: 320px;
    margin-top: 6px;
  }
  .last-message {
    overflow: hidden;
    font-size: 13px;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .waiting {
    color: #9a3b00;
    font-weight: 600;
  }
  .ratings {
    margin: 0;
    padding-left: 18px;
    font-size: 13px;
  }
  .dot {
    display: inline-block;
    width: 9px;
    height: 9px;
    border-radius: 50%;
    background: #b0b6bf;
  }
  .dot.on {
    background: #18a866;
  }
  .badge {
    padding: 0 7px;
    border-radius: 10px;
    background: #c62f2f;
    color: #fff;
    font-size: 12px;
  }
  main {
    display: flex;
    flex-direction: column;
    min-height: 0;
    overflow: auto;
    background: #f7f8fa;
  }
  .empty {
    padding: 24px;
  }
  .chat {
    display: flex;
    flex-direction: column;
    flex: 1;
    min-height: 0;
  }
  .chat-head {
    display: flex;
    gap: 12px;
    align-items: flex-start;
    justify-content: space-between;
    padding: 12px 16px;
    border-bottom: 1px solid var(--border);
    background: #fff;
  }
  .page-title {
    margin-right: 8px;
  }
  .url {
    word-break: break-all;
  }
  .taken {
    color: var(--muted);
    white-space: nowrap;
  }
  .chat-body {
    display: flex;
    flex: 1;
    min-height: 0;
  }
  .conversation {
    display: flex;
    flex: 1;
    flex-direction: column;
    min-width: 0;
    min-height: 0;
  }
  .visitor-panel {
    flex: 0 0 clamp(220px, 28%, 320px);
    overflow: auto;
    padding: 12px 16px;
    border-left: 1px solid var(--border);
    background: #fff;
    overflow-wrap: anywhere;
  }
  .visitor-panel h4 {
    margin: 12px 0 4px;
    color: var(--muted);
    font-size: 12px;
    letter-spacing: 0.04em;
    text-transform: uppercase;
  }
  .visitor-panel .page {
    display: flex;
    flex-direction: column;
  }
  .custom-data {
    display: flex;
    flex-direction: column;
    gap: 6px;
  }
  .custom-field {
    display: flex;
    flex-direction: column;
  }
  .field-title {
    color: var(--muted);
    font-size: 13px;
  }
  .contact-name {
    overflow: hidden;
    max-width: 12em;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .log {
    flex: 1;
    overflow: auto;
    padding: 16px;
  }
  .messages {
    display: flex;
    flex-direction: column;
    gap: 8px;
  }
  .message {
    display: flex;
    flex-direction: column;
    max-width: 75%;
    padding: 6px 10px;
    border-radius: 10px;
    background: var(--surface);
  }
  .message.visitor {
    align-self: flex-start;
    background: #fff;
    border: 1px solid var(--border);
  }
  .message.agent {
    align-self: flex-end;
    background: #e3ebfc;
  }
  /* A reply on its way: a dashed edge rather than faded text, which fell under 4.5:1 (3.33:1 for its time line). */
  .message.pending {
    border: 1px dashed var(--muted);
  }
  .chat-end {
    display: flex;
    gap: 10px;
    align-items: center;
    color: var(--muted);
    font-size: 12px;
  }
  .chat-end::before,
  .chat-end::after {
    flex: 1;
    border-top: 1px solid var(--border);
    content: '';
  }
  .meta {
    color: var(--muted);
    font-size: 12px;
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .error {
    color: #b3261e;
  }
  .typing {
    min-height: 1.45em;
    padding: 0 16px;
    color: var(--muted);
    font-style: italic;
  }
  .composer {
    display: flex;
    flex-direction: column;
    gap: 6px;
    padding: 8px 16px 16px;
    border-top: 1px solid var(--border);
    background: #fff;
  }
  .composer .row {
    justify-content: space-between;
  }
  .composer .actions {
    display: flex;
    flex-wrap: wrap;
    gap: 8px;
  }
  .upload {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    gap: 8px;
  }
  .upload progress {
    flex: 1 1 8rem;
    min-inline-size: 8rem;
    block-size: 12px;
  }
  .upload button {
    min-block-size: 24px;
    min-inline-size: 24px;
  }
  textarea {
    resize: vertical;
    padding: 6px 8px;
    border: 1px solid #c9ced6;
    border-radius: 6px;
  }
  .message .replies {
    display: block;
    margin-block-start: 4px;
    font-size: 0.9em;
    color: var(--muted, #5b6472);
    overflow-wrap: anywhere;
  }
  section[aria-labelledby='sites-title'] {
    padding: 16px;
    overflow-y: auto;
  }
  section[aria-labelledby='sites-title'] > input {
    box-sizing: border-box;
    inline-size: 100%;
    max-inline-size: 32rem;
    min-block-size: 32px;
    margin-block-end: 16px;
  }
  section[aria-labelledby='offline-title'] {
    padding: 16px;
  }
  .offline-list {
    display: flex;
    flex-direction: column;
    gap: 10px;
    margin-top: 10px;
  }
  .offline {
    padding: 10px 12px;
    border: 1px solid var(--border);
    border-radius: 8px;
    background: #fff;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 2px 12px;
    margin: 0;
  }
  dt {
    color: var(--muted);
  }
  dd {
    margin: 0;
    overflow-wrap: anywhere;
  }
  .name-prompt {
    align-items: center;
    justify-content: center;
    padding: 48px 16px;
  }
  .name-prompt form {
    box-sizing: border-box;
    display: flex;
    flex-direction: column;
    gap: 10px;
    width: min(360px, 100%);
    padding: 24px;
    border: 1px solid var(--border);
    border-radius: 12px;
    background: #fff;
  }
  .name-prompt input {
    padding: 6px 8px;
  }
  @media (max-width: 900px) {
    .chat-body {
      flex-direction: column;
      overflow: auto;
    }
    .conversation {
      flex: 1 0 24em;
    }
    .visitor-panel {
      flex: none;
      overflow: visible;
      border-left: 0;
      border-top: 1px solid var(--border);
    }
  }
  /*
   * Narrow (a phone, or 200-400% zoom): one column, and the console scrolls as one page. Panes that share the
   * viewport's height were squeezed to nothing at 320×256 (the visitor list and the chat 0 px high); only the visitor
   * list and the log keep a scrolling box of their own, sized by the viewport.
   */
  @media (max-width: 700px) {
    .layout {
      flex: none;
      grid-template-columns: minmax(0, 1fr);
    }
    nav {
      border-right: 0;
      border-bottom: 1px solid var(--border);
    }
    .chats {
      max-height: max(40vh, 6em);
    }
    main,
    .chat-body {
      overflow: visible;
    }
    .conversation {
      flex: none;
    }
    .log {
      flex: none;
      height: max(50vh, 10em);
    }
  }
  .history {
    padding: 8px 16px 0;
  }
  .chats > li.more,
  .offline-list > li.more {
    padding: 8px;
    border: 0;
  }
  button[aria-disabled='true'] {
    cursor: progress;
  }
  .visually-hidden {
    position: absolute !important;
    width: 1px;
    height: 1px;
    margin: -1px;
    padding: 0;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
    border: 0;
  }
  .thumbnail {
    display: block;
    max-width: min(220px, 100%);
    max-height: 160px;
    border-radius: 6px;
  }
`;
