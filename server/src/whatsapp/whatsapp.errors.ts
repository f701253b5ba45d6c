import type { WhatsAppApiError } from './whatsapp.client.js';

/** What to do after a failed send, by Meta's error code (see docs: error codes; throughput; pair rate). */
export type SendFailure =
  | { kind: 'retry'; delayMs: number; scope: 'number' | 'recipient' | 'message' }
  | { kind: 'permanent' }
  /**
   * The request may have reached Meta and been taken (timeout, a dropped connection, a 5xx that is not
   * Meta's own error, a 2xx without a wamid): never resend by ourselves; a status webhook or a person decides.
   */
  | { kind: 'unknown' };

/** Meta's own errors saying the message was not sent and may be sent again: unknown error, service unavailable, something went wrong. */
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);

/** Exponential backoff with jitter: 1 s, 2 s, 4 s … capped at 5 minutes. */
export function backoffMs(attempt: number): number {
  const base = Math.min(1000 * 2 ** Math.max(0, attempt - 1), 300_000);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Classifies a failed Graph API send. `attempt` counts from 1; `pairIntervalMs` is the per-recipient spacing. */
export function classifySendError(err: WhatsAppApiError, attempt: number, pairIntervalMs: number): SendFailure {
  const retryAfterMs = (err.retryAfterSeconds ?? 0) * 1000;
  if (err.httpStatus === null) return err.requestSent ? { kind: 'unknown' } : { kind: 'retry', delayMs: backoffMs(attempt), scope: 'message' };
  // A success without a wamid: Meta may well have sent it.
  if (err.httpStatus >= 200 && err.httpStatus < 300) return { kind: 'unknown' };
  switch (err.code) {
    case 130429: // throughput of the number
      return { kind: 'retry', delayMs: Math.max(retryAfterMs, 1000), scope: 'number' };
    case 131056: // pair rate: this recipient only
      return { kind: 'retry', delayMs: Math.max(retryAfterMs, pairIntervalMs), scope: 'recipient' };
    case 4: // app call rate
    case 80007: // WABA rate
      return { kind: 'retry', delayMs: Math.max(retryAfterMs, 60_000), scope: 'number' };
  }
  // A 5xx without Meta's error code is a gateway's (502, 504): the request may have been taken behind it.
  if (err.httpStatus >= 500 && err.code === null) return { kind: 'unknown' };
  // Meta's own error object says the call failed: these may be sent again.
  if ((err.code !== null && TRANSIENT.has(err.code)) || err.httpStatus >= 500) {
    return { kind: 'retry', delayMs: Math.max(retryAfterMs, backoffMs(attempt)), scope: 'message' };
  }
  return { kind: 'permanent' };
}
