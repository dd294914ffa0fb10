import { css } from 'lit';
import { formStyles } from '../../styles/form.js';

/** The forms' look (fields, buttons, errors), laid out as one column. */
export const callbackFormStyles = [
  formStyles,
  css`
    :host(.over) {
      border-top: 1px solid var(--jivo-_border);
    }
    [part] {
      display: grid;
      gap: 12px;
      justify-items: start;
    }
    form {
      justify-self: stretch;
    }
    p {
      margin: 0;
    }
    /* Empty, the live region stays in the page (to announce the next status) but takes no row of the grid. */
    .status:empty {
      position: absolute;
    }
  `,
];
