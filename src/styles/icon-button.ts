import { css } from 'lit';

/**
 * The icon buttons of the window header, the invitation and the menu: a round, 40 px target with an SVG inside. Apart
 * from base.ts, which the launcher needs, so that they load with the window chunk.
 */
export const iconButtonStyles = css`
  .icon-button {
    display: inline-grid;
    place-items: center;
    width: 40px;
    height: 40px;
    padding: 0;
    border: 0;
    border-radius: 50%;
    background: transparent;
    color: inherit;
  }
  .icon-button:hover {
    background: var(--jivo-_hover, rgb(0 0 0 / 0.12));
  }
  .icon-button svg {
    width: 20px;
    height: 20px;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
  }
`;
