import type { ReactiveControllerHost } from 'lit';
import type { JivoApiMethods } from '../../../api/types.js';
import type { ChatTransport } from '../../../transport/transport.js';

/** What the root element's controllers read of it: its configuration, and the API methods that triggers call. */
export interface WidgetHost
  extends ReactiveControllerHost, HTMLElement, Pick<JivoApiMethods, 'open' | 'showProactiveInvitation'> {
  /** The widget id the widget stores under and reports to the backend. */
  readonly namespace: string;
  readonly transport?: ChatTransport;
  readonly endpoint?: string;
  readonly sound: boolean;
  readonly color?: string;
  readonly color2?: string;
  readonly renderRoot: HTMLElement | DocumentFragment;
}
