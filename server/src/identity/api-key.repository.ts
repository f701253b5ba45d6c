import { createHash, randomBytes } from 'node:crypto';
import { SqlRepository } from '../db/repository.js';
import { AppError } from '../errors.js';
import type { ApiKey } from './api-key.entity.js';
import type { Scope } from './principal.js';

/** Every key starts so, which tells it apart from a session token. */
export const KEY_PREFIX = 'wai_';

/** The stored hash of a key: the keys are 256 random bits, so a plain SHA-256 cannot be reversed. */
export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A key's row as the credential check reads it. */
export interface KeyRow {
  id: string;
  name: string;
  scopes: Scope[];
  expires_at: Date | null;
  revoked_at: Date | null;
}

/** The owner of `api_key`. */
export class ApiKeyRepository extends SqlRepository<ApiKey> {
  /** Makes a key: returns it (shown this once) with its stored record. */
  async issue(input: { name: string; scopes: Scope[]; expiresAt?: Date | null }): Promise<{ key: string; apiKey: ApiKey }> {
    const name = input.name.trim();
    if (!name || name.length > 200) throw new AppError('BAD_USER_INPUT', 'name must have 1 to 200 characters');
    if (input.scopes.length === 0) throw new AppError('BAD_USER_INPUT', 'give at least one scope');
    if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) throw new AppError('BAD_USER_INPUT', 'expiresAt is in the past');
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const apiKey = this.create({ name, prefix: key.slice(0, KEY_PREFIX.length + 8), hash: hashKey(key), scopes: [...new Set(input.scopes)], expiresAt: input.expiresAt ?? null });
    await this.em.flush();
    return { key, apiKey };
  }

  /** Revokes a key at once. */
  async revoke(id: string): Promise<ApiKey> {
    const key = /^\d+$/.test(id) ? await this.findOne(id) : null;
    if (!key) throw new AppError('NOT_FOUND', `no API key ${id}`);
    key.revokedAt ??= new Date();
    await this.em.flush();
    return key;
  }

  /** Every key, newest first. */
  list(): Promise<ApiKey[]> {
    return this.findAll({ orderBy: { id: 'desc' } });
  }

  /** The key with this hash, as the credential check needs it. */
  async byHash(hash: string): Promise<KeyRow | undefined> {
    // SQL: on every request an integrator makes; one indexed row, no entity kept in an identity map.
    const { rows } = await this.db.query(`select id::text as id, name, scopes, expires_at, revoked_at from api_key where hash = $1`, [hash]);
    return rows[0];
  }

  /** Records that a key was used, at most once a minute per key. */
  async touch(id: string): Promise<void> {
    // SQL: a conditional update that writes only when the last record is a minute old.
    await this.db.query(`update api_key set last_used_at = now() where id = $1 and (last_used_at is null or last_used_at < now() - interval '1 minute')`, [id]);
  }
}
