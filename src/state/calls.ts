/**
 * Call-back requests: asked for here, then moved along by what the backend reports. Pure functions of the state; the
 * store applies them.
 */
import type { CallReport } from '../model/types.js';
import type { Outcome } from './events.js';
import { CALL_OVER, type CallRequest, type CallStatus, type WidgetState } from './types.js';

/** How far along a call is: a report never moves a call back. */
const CALL_RANK: Record<CallStatus, number> = { pending: 0, requested: 1, connected: 2, finished: 3, failed: 3 };

/** Asks for a call back (`pending` until the transport has delivered it). Replaces the last call. */
export const requestCall = (s: WidgetState, call: CallRequest): WidgetState => ({ ...s, call });

/** Stores `call` and reports what this page saw happen to it: started (taken by the backend), then ended. */
function setCall(s: WidgetState, before: CallRequest | null, call: CallRequest): Outcome {
  const was = before ? CALL_RANK[before.status] : 0;
  return [
    { ...s, call },
    ...(was === 0 && call.status !== 'failed' ? [{ type: 'call-start' as const, call }] : []),
    ...(was < 3 && CALL_OVER.has(call.status) ? [{ type: 'call-end' as const, call }] : []),
  ];
}

/**
 * Takes the backend's word on a call. The call we have moves forward only (a late or repeated report changes
 * nothing); another call replaces ours unless ours is still waiting to be delivered or is newer. `live` is false for
 * the call a welcome repeats: a call this page did not know of then is taken in silently, without start or end events.
 */
export function updateCall(s: WidgetState, report: CallReport, live = true): Outcome {
  const known = s.call;
  const call: CallRequest = {
    id: report.id,
    phone: report.phone,
    status: report.status,
    reason: report.reason ?? '',
    at: report.at,
  };
  if (known?.id === call.id) {
    if (CALL_RANK[call.status] > CALL_RANK[known.status]) return setCall(s, known, call);
  } else if (!known || (known.status !== 'pending' && known.at <= call.at)) {
    return setCall(s, live ? null : call, call);
  }
  return [s];
}

/** The backend refused the request `id` (call backs disabled, rate limited…): it fails with `reason`. */
export function failCall(s: WidgetState, id: string, reason: string): Outcome {
  const known = s.call;
  return known?.id === id && !CALL_OVER.has(known.status)
    ? setCall(s, known, { ...known, status: 'failed', reason })
    : [s];
}
