import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';
import { safeEqual } from '../http/auth.js';
import type { Agent } from './agent.entity.js';
import type { AgentRepository } from './agent.repository.js';
import { hashKey, KEY_PREFIX, type ApiKeyRepository, type KeyRow } from './api-key.repository.js';
import { ROLE_SCOPES, Scope, type Principal, type Role } from './principal.js';

const ISSUER = 'whatsapp-inbox';
const AUDIENCE = 'inbox-widget';
/** How long a process may go on accepting a session of an agent deactivated elsewhere, and a key revoked elsewhere. */
export const CREDENTIAL_CACHE_MS = 5_000;
const ALL_SCOPES: ReadonlySet<Scope> = new Set(Object.values(Scope));

/** What the credential check needs. */
export interface AuthenticatorOptions {
  /** Bootstrap keys (AUTH_TOKENS), each with every scope, and their expiry (epoch ms) if any. */
  bootstrap: ReadonlyArray<{ token: string; expiresAt: number | null }>;
  /** SESSION_SECRET: the first signs, all verify. */
  sessionSecrets: readonly string[];
  sessionTtlSeconds: number;
  agents: AgentRepository;
  apiKeys: ApiKeyRepository;
  log: Logger;
}

const unauthenticated = (message: string) => new AppError('UNAUTHENTICATED', message);

/**
 * Turns a bearer credential into the caller: a bootstrap key, an API key (looked up by its hash), or
 * an agent session (a JWT signed with SESSION_SECRET, checked without the database). Deactivated
 * agents and revoked keys are refused; another process's change is seen within CREDENTIAL_CACHE_MS.
 */
export class Authenticator {
  private readonly secrets: Uint8Array[];
  private deactivated: { ids: Set<string>; at: number } | undefined;
  private reading: Promise<Set<string>> | undefined;
  private readonly keys = new Map<string, { row: KeyRow | undefined; at: number }>();

  constructor(private readonly o: AuthenticatorOptions) {
    this.secrets = o.sessionSecrets.map((s) => new TextEncoder().encode(s));
  }

  /** The caller behind `token`; UNAUTHENTICATED when it is unknown, expired, revoked or deactivated. */
  async authenticate(token: string, now = Date.now()): Promise<Principal> {
    if (token.startsWith(KEY_PREFIX)) return this.apiKey(token, now);
    if (token.split('.').length === 3) return this.session(token, now);
    const known = this.o.bootstrap.find((t) => safeEqual(t.token, token));
    if (!known) throw unauthenticated('a valid bearer token is required (Authorization: Bearer <key or session token>)');
    if (known.expiresAt !== null && known.expiresAt <= now) throw unauthenticated(`the bearer token expired at ${new Date(known.expiresAt).toISOString()}`);
    return { kind: 'key', id: null, name: 'AUTH_TOKENS', scopes: ALL_SCOPES, expiresAt: known.expiresAt };
  }

  /** A session token for an agent, valid SESSION_TTL_SECONDS. */
  async issueSession(agent: Pick<Agent, 'id' | 'name' | 'role'>): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date((Math.floor(Date.now() / 1000) + this.o.sessionTtlSeconds) * 1000);
    const token = await new SignJWT({ name: agent.name, role: agent.role })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(agent.id)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(expiresAt)
      .sign(this.secrets[0]!);
    return { token, expiresAt };
  }

  /** Forgets what it knows of deactivated agents and keys (after a change in this process). */
  forget(): void {
    this.deactivated = undefined;
    this.keys.clear();
  }

  private async session(token: string, now: number): Promise<Principal> {
    let claims: { sub?: string; name?: unknown; role?: unknown; exp?: number } | undefined;
    for (const secret of this.secrets) {
      try {
        claims = (await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: new Date(now) })).payload;
        break;
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw unauthenticated('the session expired: ask the dashboard for a new one');
        if (!(err instanceof joseErrors.JWSSignatureVerificationFailed)) throw unauthenticated('the session token is not valid');
      }
    }
    const role = claims?.role as Role | undefined;
    if (!claims?.sub || !claims.exp || !role || !(role in ROLE_SCOPES)) throw unauthenticated('the session token is not valid');
    if ((await this.deactivatedIds(now)).has(claims.sub)) throw unauthenticated('this agent was deactivated');
    return { kind: 'agent', id: claims.sub, name: String(claims.name ?? ''), role, scopes: new Set(ROLE_SCOPES[role]), expiresAt: claims.exp * 1000 };
  }

  private async apiKey(token: string, now: number): Promise<Principal> {
    const hash = hashKey(token);
    let hit = this.keys.get(hash);
    if (!hit || now - hit.at > CREDENTIAL_CACHE_MS) {
      hit = { row: await this.o.apiKeys.byHash(hash), at: now };
      if (this.keys.size > 10_000) this.keys.clear();
      this.keys.set(hash, hit);
      if (hit.row && !hit.row.revoked_at) this.o.apiKeys.touch(hit.row.id).catch((err: Error) => this.o.log.warn({ err: err.message }, 'could not record an API key use'));
    }
    const row = hit.row;
    if (!row) throw unauthenticated('a valid bearer token is required (Authorization: Bearer <key or session token>)');
    if (row.revoked_at) throw unauthenticated(`the API key ${row.name} was revoked`);
    const expiresAt = row.expires_at ? new Date(row.expires_at).getTime() : null;
    if (expiresAt !== null && expiresAt <= now) throw unauthenticated(`the API key ${row.name} expired at ${new Date(expiresAt).toISOString()}`);
    return { kind: 'key', id: row.id, name: row.name, scopes: new Set(row.scopes), expiresAt };
  }

  private async deactivatedIds(now: number): Promise<Set<string>> {
    if (this.deactivated && now - this.deactivated.at <= CREDENTIAL_CACHE_MS) return this.deactivated.ids;
    this.reading ??= this.o.agents.deactivatedIds().then(
      (ids) => {
        this.deactivated = { ids, at: Date.now() };
        this.reading = undefined;
        return ids;
      },
      (err) => {
        this.reading = undefined;
        throw err;
      },
    );
    return this.reading;
  }
}
