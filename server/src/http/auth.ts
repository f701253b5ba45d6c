import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
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

/** The token of an `Authorization: Bearer <token>` value, or null. */
export function bearerToken(header: unknown): string | null {
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return m ? m[1]! : null;
}

/** What turns a token into a caller (identity/authenticator.ts in the app). */
export interface CredentialCheck<P> {
  authenticate(token: string): Promise<P>;
}

/** A route's refusal: 401 without a valid credential, 403 without the scope it needs. */
export interface Refusal {
  status: 401 | 403;
  error: string;
}

/** The caller behind `header` if it holds `scope`; otherwise the refusal to answer with. */
export async function authorize<P extends { scopes: ReadonlySet<string> }>(check: CredentialCheck<P>, header: unknown, scope: string): Promise<P | Refusal> {
  const principal = await authenticate(check, header).catch((err: unknown) => {
    if (err instanceof AppError) return null;
    throw err;
  });
  if (!principal) return { status: 401, error: 'a valid bearer token is required (Authorization: Bearer <key or session token>)' };
  if (!principal.scopes.has(scope)) return { status: 403, error: `this needs ${scope}` };
  return principal;
}

/** Whether authorize refused. */
export const refused = <P>(r: P | Refusal): r is Refusal => typeof r === 'object' && r !== null && 'error' in r && 'status' in r;

/**
 * The one credential check of every route and transport: the caller behind an
 * `Authorization: Bearer …` value; UNAUTHENTICATED when there is none or it is refused.
 */
export async function authenticate<P>(check: CredentialCheck<P>, header: unknown): Promise<P> {
  const token = bearerToken(header);
  if (!token) throw new AppError('UNAUTHENTICATED', 'a valid bearer token is required (Authorization: Bearer <key or session token>)');
  return check.authenticate(token);
}
