import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Config } from '../config.js';
import { AppError } from '../errors.js';

const compareKey = randomBytes(32);
const mac = (s: string) => createHmac('sha256', compareKey).update(s).digest();

/**
 * Constant-time string equality that leaks neither length nor the position of a difference: it
 * compares HMACs of both sides, which always have the same length.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(mac(a), mac(b));
}

type TokenCheck = { ok: true; expiresAt: number | null } | { ok: false; message: string };

/** Checks an `Authorization: Bearer <token>` value against AUTH_TOKENS and their expiries. */
export function checkToken(config: Config, header: unknown, now = Date.now()): TokenCheck {
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  const known = m ? config.bearerTokens.find((t) => safeEqual(t.token, m[1]!)) : undefined;
  if (!known) return { ok: false, message: 'a valid bearer token is required (Authorization: Bearer <token>)' };
  if (known.expiresAt !== null && known.expiresAt <= now) {
    return { ok: false, message: `the bearer token expired at ${new Date(known.expiresAt).toISOString()}` };
  }
  return { ok: true, expiresAt: known.expiresAt };
}

/** True when `header` is `Bearer <one of AUTH_TOKENS>` that has not expired. */
export function isAuthorized(config: Config, header: unknown): boolean {
  return checkToken(config, header).ok;
}

/** Throws UNAUTHENTICATED unless `header` carries a valid bearer token. */
export function requireToken(config: Config, header: unknown): void {
  const check = checkToken(config, header);
  if (!check.ok) throw new AppError('UNAUTHENTICATED', check.message);
}
