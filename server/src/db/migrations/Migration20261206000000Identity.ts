import { Migration } from '@mikro-orm/migrations';

/** Agents (people, from the host dashboard) and API keys (integrators; only a hash of each key is kept). */
export class Migration20261206000000Identity extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "agent" (
      "id" bigserial primary key,
      "external_id" text not null,
      "name" text not null,
      "email" text null,
      "role" text not null,
      "active" boolean not null default true,
      "available" boolean not null default true,
      "last_seen_at" timestamptz null,
      "created_at" timestamptz not null default now(),
      "updated_at" timestamptz not null default now(),
      constraint "agent_external_id_unique" unique ("external_id"),
      constraint "agent_role_check" check ("role" in ('ADMIN', 'AGENT', 'VIEWER')))`);
    this.addSql(`create table "api_key" (
      "id" bigserial primary key,
      "name" text not null,
      "prefix" text not null,
      "hash" text not null,
      "scopes" text[] not null,
      "created_at" timestamptz not null default now(),
      "last_used_at" timestamptz null,
      "expires_at" timestamptz null,
      "revoked_at" timestamptz null,
      constraint "api_key_hash_unique" unique ("hash"))`);
  }
}
