/** The site's pre-chat form as a visitor's widget is told it (welcome and `prechat` frames, docs/protocol.md). */
import type { PrechatSettings } from '../src/model/site-settings.js';
import type { WirePrechat } from '../src/transport/protocol.js';
import type { Visitor } from './state.js';

/**
 * Whether the visitor has sent the site's pre-chat form as it is now: a consent it asks for must be of the current
 * version (a new privacy policy is agreed to again).
 */
export function prechatAnswered(visitor: Visitor, prechat: PrechatSettings): boolean {
  if (!visitor.prechat) return false;
  return !prechat.consent || visitor.prechat.consent?.version === prechat.consent.version;
}

/** The site's pre-chat form as a widget of this visitor is told it (null: the site has none). */
export const wirePrechat = (visitor: Visitor, prechat: PrechatSettings | null): WirePrechat | null =>
  prechat && { ...prechat, answered: prechatAnswered(visitor, prechat) };
