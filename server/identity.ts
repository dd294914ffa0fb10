/**
 * Verified visitors (security review F11): a site that sets an identity secret for its widget id signs its visitor's
 * identity on its own server, and the widget carries the signed token with `jivo_api.setUserToken(token)`. The token is
 * a JWT (RFC 7519) signed with HMAC-SHA256 under the secret:
 *
 *   header  {"alg":"HS256","typ":"JWT"}
 *   payload {"sub":"customer-1001","exp":1767225600}     sub: the site's id for the visitor; exp (seconds): optional
 *
 * The backend keeps `sub` as the visitor's user token, marked verified, and webhooks say so (`user_token_verified`).
 * A token that is not signed with the secret, names another algorithm, has expired or carries no `sub` is refused and
 * stores nothing. Widget ids without a secret keep whatever token the widget sends, unverified.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { LIMITS } from '../src/model/limits.js';

const b64url = (s: string): Buffer | null => (/^[A-Za-z0-9_-]*$/.test(s) ? Buffer.from(s, 'base64url') : null);

const parseJson = (b: Buffer | null): Record<string, unknown> | null => {
  if (!b) return null;
  try {
    const v: unknown = JSON.parse(b.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
};

/** The identity a token signed with `secret` vouches for, or why it does not. `now` in ms. */
export function verifyIdentity(token: string, secret: string, now = Date.now()): { sub: string } | { problem: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { problem: 'it is not a signed token (header.payload.signature)' };
  const [h, p, sig] = parts;
  const header = parseJson(b64url(h));
  if (header?.alg !== 'HS256') return { problem: 'it must be signed with HS256' };
  const signature = b64url(sig);
  const expected = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  if (!signature || signature.length !== expected.length || !timingSafeEqual(signature, expected))
    return { problem: "its signature does not match the site's identity secret" };
  const payload = parseJson(b64url(p));
  if (!payload) return { problem: 'its payload is not a JSON object' };
  const { sub, exp } = payload;
  if (typeof sub !== 'string' || !sub || sub.length > LIMITS.userToken)
    return { problem: `its sub must be a string of 1-${LIMITS.userToken} characters` };
  if (exp !== undefined && (typeof exp !== 'number' || exp * 1000 <= now)) return { problem: 'it has expired' };
  return { sub };
}

/** Signs `sub` as a site's server would (for tests and the command line's example). */
export function signIdentity(sub: string, secret: string, exp?: number): string {
  const enc = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const body = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc(exp === undefined ? { sub } : { sub, exp })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}
