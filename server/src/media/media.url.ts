import { createHmac } from 'node:crypto';
import { safeEqual } from '../http/auth.js';

/** How long a signed media URL is valid at least. */
export const MEDIA_URL_TTL_SECONDS = 600;
/**
 * Expiries are rounded up to this step, so the URL of one file stays the same for a while and the
 * browser's cache (keyed by the whole URL) keeps serving it instead of downloading it again.
 */
export const MEDIA_URL_STEP_SECONDS = 300;

/** Why a signed URL was refused. */
export type MediaSignatureCheck = { ok: true } | { ok: false; reason: 'invalid' | 'expired'; expiredAt?: Date };

// A key of its own per secret, so a media signature can never pass for a session token's or back.
const keyOf = (secret: string) => createHmac('sha256', secret).update('inbox media url v1').digest();
const macOf = (key: Buffer, messageId: string, exp: number) => createHmac('sha256', key).update(`${messageId}.${exp}`).digest('base64url');

/**
 * Short-lived signed URLs of downloaded media (`/api/media/42?exp=…&sig=…`), so `<img src>` works
 * without a credential in the URL: HMAC-SHA256 over the message id and the expiry, keyed from
 * SESSION_SECRET. The first secret signs; every one verifies, so a rotation keeps URLs valid.
 */
export class MediaUrls {
  private readonly keys: Buffer[];
  private readonly now: () => number;
  private readonly ttlSeconds: number;

  constructor(secrets: readonly string[], opts: { now?: () => number; ttlSeconds?: number } = {}) {
    if (secrets.length === 0) throw new Error('media URLs need at least one SESSION_SECRET');
    this.keys = secrets.map(keyOf);
    this.now = opts.now ?? Date.now;
    this.ttlSeconds = opts.ttlSeconds ?? MEDIA_URL_TTL_SECONDS;
  }

  /** The path of a message's file, valid for at least the TTL (at most one step more). */
  sign(messageId: string): string {
    const earliest = Math.floor(this.now() / 1000) + this.ttlSeconds;
    return this.signUntil(messageId, Math.ceil(earliest / MEDIA_URL_STEP_SECONDS) * MEDIA_URL_STEP_SECONDS);
  }

  /** The path of a message's file, valid until `exp` (epoch seconds). */
  signUntil(messageId: string, exp: number): string {
    return `/api/media/${messageId}?exp=${exp}&sig=${macOf(this.keys[0]!, messageId, exp)}`;
  }

  /** Whether `exp` and `sig` (as the query string carried them) let someone fetch this message's file now. */
  verify(messageId: string, exp: unknown, sig: unknown): MediaSignatureCheck {
    if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string' || sig.length > 100) return { ok: false, reason: 'invalid' };
    const expiry = Number(exp);
    // Every key is tried, so the time taken does not tell which secret (if any) matched.
    const matches = this.keys.map((key) => safeEqual(macOf(key, messageId, expiry), sig));
    if (!matches.includes(true)) return { ok: false, reason: 'invalid' };
    if (expiry * 1000 <= this.now()) return { ok: false, reason: 'expired', expiredAt: new Date(expiry * 1000) };
    return { ok: true };
  }
}
