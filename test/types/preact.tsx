/** @jsxImportSource preact */
// jivo-widget/preact, as a Preact app uses it (`tsc -p test/types`): every line without @ts-expect-error must check,
// and every line with one must fail, so typings that went `any` fail here too.
import type { JivoChangeStateEvent, JivoWidget } from 'jivo-widget';
import type {} from 'jivo-widget/preact';

let widget: JivoWidget | null = null;

export const valid = (
  <jivo-widget
    ref={(el) => {
      widget = el;
    }}
    widget-id="shop"
    color="#0b7a53"
    position="left"
    contacts-form="optional"
    sound
    class="chat"
    onjivo-change-state={(event: JivoChangeStateEvent) => console.log(event.detail.state)}
    onjivo-message-received={(event) => console.log(event.detail.text, event.detail.agentName)}
  />
);
export const openMenu = () => widget?.open({ start: 'menu' });

// @ts-expect-error: a corner the widget does not have
export const badPosition = <jivo-widget position="top" />;
// @ts-expect-error: contacts-form takes off, optional or required
export const badMode = <jivo-widget contacts-form="always" />;
// @ts-expect-error: jivo-open carries no detail
export const badDetail = <jivo-widget onjivo-open={(event) => event.detail.state} />;
// @ts-expect-error: a handler for another event's class
export const badHandler = <jivo-widget onjivo-open={(event: JivoChangeStateEvent) => event} />;
