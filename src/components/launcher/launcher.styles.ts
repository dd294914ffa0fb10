import { css } from 'lit';

export const launcherStyles = css`
  :host {
    display: inline-block;
  }
  button {
    position: relative;
    display: inline-flex;
    align-items: center;
    gap: 10px;
    min-height: 52px;
    padding: 0 22px 0 18px;
    border: 0;
    border-radius: 26px;
    background: var(--jivo-_accent-bg);
    color: var(--jivo-_on-accent);
    font-size: 15px;
    font-weight: 600;
    box-shadow: 0 6px 20px rgb(0 0 0 / 0.22);
    transition: transform 0.15s ease;
  }
  button:hover {
    transform: translateY(-1px);
  }
  svg {
    flex: none;
    width: 24px;
    height: 24px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linejoin: round;
  }
  .badge {
    position: absolute;
    top: -6px;
    inset-inline-end: -6px;
    min-width: 22px;
    height: 22px;
    padding: 0 6px;
    border: 2px solid #fff;
    border-radius: 11px;
    background: #c62828;
    color: #fff;
    font-size: 12px;
    font-weight: 700;
    line-height: 18px;
    text-align: center;
  }
  @media (max-width: 479.98px) {
    button {
      min-width: 56px;
      min-height: 56px;
      padding: 0 16px;
    }
    .text {
      display: none;
    }
  }
  /* Forced colours drop backgrounds and shadows: a system-coloured border keeps the boundary. */
  @media (forced-colors: active) {
    button {
      border: 1px solid ButtonText;
    }
  }
`;
