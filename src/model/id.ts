/**
 * A random id (messages, visitors, call-back requests), so that a resent one can be recognised and stored once: a
 * UUID or 32 hex digits, which `isId` accepts.
 */
export function randomId(): string {
  if (typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  // Non-secure contexts (plain http) have no randomUUID; getRandomValues is still there.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
