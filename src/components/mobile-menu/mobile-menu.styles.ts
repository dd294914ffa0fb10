import { css } from 'lit';

export const mobileMenuStyles = css`
  :host {
    display: block;
  }
  .menu {
    width: var(--jivo-menu-width, 300px);
    padding: 8px 8px 12px 16px;
    border-radius: var(--jivo-_radius);
    background: var(--jivo-_bg);
    box-shadow: 0 12px 48px rgb(0 0 0 / 0.25);
  }
  .top {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  h2 {
    flex: 1;
    margin: 0;
    font-size: 16px;
  }
  ul {
    display: grid;
    gap: 8px;
    margin-block: 8px 0;
    margin-inline: 0 8px;
    padding: 0;
    list-style: none;
  }
  .choice {
    display: flex;
    align-items: center;
    gap: 12px;
    width: 100%;
    min-height: 48px;
    padding: 0 16px;
    border: 0;
    border-radius: 24px;
    background: var(--jivo-_accent-bg);
    color: var(--jivo-_on-accent);
    font-weight: 600;
    text-align: start;
  }
  a.choice {
    text-decoration: none;
  }
  .channels .choice {
    border: 1px solid var(--jivo-_accent);
    background: var(--jivo-_bg);
    color: var(--jivo-_link);
  }
  .choice svg {
    width: 22px;
    height: 22px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linejoin: round;
  }
  /* Forced colours drop backgrounds and shadows: a system-coloured border keeps the boundary. */
  @media (forced-colors: active) {
    .menu,
    .choice {
      border: 1px solid CanvasText;
    }
  }
`;
