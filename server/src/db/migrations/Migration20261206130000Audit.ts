import { Migration } from '@mikro-orm/migrations';

/**
 * The audit log: one row per mutation (who, what, which ids, when, how it ended). Append-only: a
 * trigger refuses UPDATE and TRUNCATE, and DELETE unless the transaction set `inbox.audit_prune`
 * (only the retention prune in AuditRepository does). No foreign keys: an entry outlives what it names.
 */
export class Migration20261206130000Audit extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "audit_log" (
      "id" bigserial primary key,
      "at" timestamptz not null,
      "principal_kind" text not null,
      "principal_id" bigint null,
      "principal_name" text not null,
      "action" text not null,
      "target_ids" text[] not null default '{}',
      "outcome" text not null,
      "error_code" text null,
      constraint "audit_log_principal_kind_check" check ("principal_kind" in ('AGENT', 'KEY', 'CLI', 'NONE')),
      constraint "audit_log_outcome_check" check ("outcome" in ('ALLOWED', 'REFUSED', 'FAILED')))`);
    // auditLog's filters, newest first; the prune finds old entries by time.
    this.addSql(`create index "audit_log_principal_idx" on "audit_log" ("principal_id", "id")`);
    this.addSql(`create index "audit_log_action_idx" on "audit_log" ("action", "id")`);
    this.addSql(`create index "audit_log_at_idx" on "audit_log" ("at")`);
    this.addSql(`create function audit_log_append_only() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' and current_setting('inbox.audit_prune', true) = 'on' then
          return old;
        end if;
        raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
      end $$`);
    this.addSql(`create trigger "audit_log_append_only" before update or delete on "audit_log"
      for each row execute function audit_log_append_only()`);
    this.addSql(`create trigger "audit_log_no_truncate" before truncate on "audit_log"
      for each statement execute function audit_log_append_only()`);
  }
}
