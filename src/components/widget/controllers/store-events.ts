import type { Subscription } from 'rxjs';
import { JivoAcceptEvent } from '../../../events/accept-event.js';
import { JivoCallEndEvent } from '../../../events/call-end-event.js';
import { JivoCallStartEvent } from '../../../events/call-start-event.js';
import { JivoClientStartChatEvent } from '../../../events/client-start-chat-event.js';
import { JivoIntroductionEvent } from '../../../events/introduction-event.js';
import { JivoMessageReceivedEvent } from '../../../events/message-received-event.js';
import { JivoMessageSentEvent } from '../../../events/message-sent-event.js';
import type { StoreEvent, WidgetStore } from '../../../state/store.js';
import { playNotification } from '../notification-sound.js';
import type { WidgetHost } from './host.js';

/**
 * Turns what the store tells of the conversation (messages, the agent's acceptance, call backs, contacts given) into
 * the public `jivo-*` events, which the bridge mirrors to the page's `jivo_on*` callbacks; with the chime for an
 * agent's message. In the window chunk: everything that makes these events happen is there too.
 */
export function announceStoreEvents(host: WidgetHost, store: WidgetStore): Subscription {
  return store.events$.subscribe((event) => onStoreEvent(host, event));
}

function onStoreEvent(host: WidgetHost, event: StoreEvent): void {
  switch (event.type) {
    case 'visitor-message':
      if (!event.first) return;
      host.dispatchEvent(new JivoMessageSentEvent());
      if (!event.invited) host.dispatchEvent(new JivoClientStartChatEvent());
      return;
    case 'agent-message':
      // The chime is the window chunk's: an agent's message comes over the connection, which is its too.
      if (host.sound) playNotification(host.namespace, event.message.id);
      host.dispatchEvent(
        new JivoMessageReceivedEvent(event.message.text, event.message.agentName ?? null, event.message.at),
      );
      return;
    case 'accepted':
      host.dispatchEvent(new JivoAcceptEvent(event.agent.name));
      return;
    case 'call-start':
      host.dispatchEvent(new JivoCallStartEvent(event.call.phone));
      return;
    case 'call-end':
      host.dispatchEvent(
        new JivoCallEndEvent(
          event.call.status === 'finished'
            ? { result: 'ok' }
            : { result: 'fail', reason: event.call.reason || 'The call failed' },
        ),
      );
      return;
    case 'introduction':
      host.dispatchEvent(new JivoIntroductionEvent());
      return;
  }
}
