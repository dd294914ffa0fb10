/**
 * Call backs in the reference backend: when they are offered, and how a stored call looks on each socket. The hub
 * routes the frames (`call_request` from widgets, `call_status` from consoles); state.ts keeps the calls.
 *
 * A widget may ask for a call back while call backs are configured (`callbacks` option, on by default), at least one
 * agent is online to make the call, and the widget id's call balance (if one is set) is not spent: every stored request
 * spends one call, for good (the journal keeps the count across restarts).
 */
import type { WireCall } from '../src/transport/protocol.js';
import type { AgentCall } from './agent-protocol.js';
import type { Rate } from './rate-limit.js';
import type { StoredCall, Visitor } from './state.js';

export interface CallbackOptions {
  /** Whether call backs are offered at all. Default true. */
  enabled?: boolean;
  /** How many call-back requests each widget id may make in all; null or absent: no limit. */
  balance?: number | null;
  /** How often one visitor may ask (a resend of a known request is free). Default CALL_RATE. */
  rate?: Rate;
}

export interface CallbackConfig {
  enabled: boolean;
  balance: number | null;
  rate: Rate;
}

/** 3 requests per 10 minutes per visitor, whichever socket or tab they come from. */
export const CALL_RATE: Rate = { burst: 3, windowMs: 600_000 };

export function callbackConfig(options: boolean | CallbackOptions = true): CallbackConfig {
  const o = typeof options === 'boolean' ? { enabled: options } : options;
  const balance = o.balance ?? null;
  const rate =
    o.rate && o.rate.burst > 0 && o.rate.windowMs > 0 ? { burst: o.rate.burst, windowMs: o.rate.windowMs } : CALL_RATE;
  return {
    enabled: o.enabled !== false,
    balance: balance !== null && Number.isFinite(balance) ? Math.max(0, Math.floor(balance)) : null,
    rate,
  };
}

export function wireCall(call: StoredCall): WireCall {
  const wire: WireCall = { id: call.id, phone: call.phone, status: call.status, at: call.at };
  if (call.reason !== null) wire.reason = call.reason;
  return wire;
}

export function agentCall(visitor: Visitor, call: StoredCall): AgentCall {
  const { id, phone, status, reason, page, at, updatedAt, by } = call;
  return {
    id,
    visitorId: visitor.id,
    widgetId: visitor.widgetId,
    visitorNumber: visitor.number,
    phone,
    status,
    reason,
    page,
    at,
    updatedAt,
    by,
  };
}
