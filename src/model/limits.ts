import { LAUNCHER_LIMITS } from './launcher-limits.js';

/**
 * Limits every party enforces: the widget on what the page and the visitor give it, the backend on every frame, the
 * agent console on what it sends. Each limit is written here once. A frame over its byte limit is rejected before it
 * is parsed.
 */
export const LIMITS = {
  ...LAUNCHER_LIMITS,
  /** Frames from a widget (or an agent console). */
  frameBytes: 16_384,
  /** Frames from the backend: a welcome may carry a long history. */
  backendFrameBytes: 8_388_608,
  id: 64,
  /** A message, in UTF-16 code units: the composer's `maxlength`, the wire, the backend. */
  text: 4000,
  /** A proactive invitation's text (`showProactiveInvitation`, a trigger rule's `invite`). */
  invitation: 1000,
  name: 100,
  email: 254,
  phone: 32,
  description: 1000,
  url: 2048,
  title: 300,
  userToken: 256,
  customFields: 10,
  customField: 1000,
  /** Why a call failed, as an agent tells it. */
  reason: 200,
  /** Client attributes (`setClientAttributes`): at most this many, each key and string value at most so long. */
  clientAttributes: 20,
  attributeKey: 64,
  attributeValue: 255,
  /** `setClientAttributes` changes per visitor in any `clientAttributeWindowMs` (the widget counts calls, the backend changes). */
  clientAttributeCalls: 10,
  clientAttributeWindowMs: 3_600_000,
} as const;

/**
 * Each field of an offline message and its longest length; the first four are the contact details (`setContactInfo`,
 * the contact frame, the contacts form), which have the same limits.
 */
export const OFFLINE_FIELD_LIMITS = [
  ['name', LIMITS.name],
  ['email', LIMITS.email],
  ['phone', LIMITS.phone],
  ['description', LIMITS.description],
  ['message', LIMITS.text],
] as const;

/** The contact details' fields and their longest lengths. */
export const CONTACT_FIELD_LIMITS = OFFLINE_FIELD_LIMITS.slice(0, 4) as ReadonlyArray<
  (typeof OFFLINE_FIELD_LIMITS)[0 | 1 | 2 | 3]
>;
