/** @jsxImportSource solid-js */
// jivo-widget/solid, as a Solid app uses it (`tsc -p test/types`): every line without @ts-expect-error must check,
// and every line with one must fail, so typings that went `any` fail here too.
import type { ChatTransport, JivoChangeStateEvent } from 'jivo-widget';
import type {} from 'jivo-widget/solid';

declare const transport: ChatTransport;

export const valid = (
  <jivo-widget
    widget-id="shop"
    position="right"
    contacts-form="required"
    prop:transport={transport}
    on:jivo-change-state={(event: JivoChangeStateEvent) => console.log(event.detail.state)}
    on:jivo-call-end={(event) => console.log(event.detail.result)}
  />
);

// @ts-expect-error: a corner the widget does not have
export const badPosition = <jivo-widget position="top" />;
// @ts-expect-error: the transport is an object of the ChatTransport shape
export const badTransport = <jivo-widget prop:transport="wss://chat.example" />;
// @ts-expect-error: jivo-open carries no detail
export const badDetail = <jivo-widget on:jivo-open={(event) => event.detail.state} />;
