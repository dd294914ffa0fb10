/** Base of every public event: a `CustomEvent` that bubbles and crosses shadow roots, so a page can listen anywhere. */
export abstract class JivoEvent<Detail = null> extends CustomEvent<Detail> {
  constructor(type: string, detail: Detail) {
    super(type, { bubbles: true, composed: true, cancelable: false, detail });
  }
}
