import type { FilterQuery } from '@mikro-orm/core';
import { SqlRepository } from '../db/repository.js';
import type { AuditEntry, AuditOutcome, AuditPrincipalKind } from './audit-entry.entity.js';

/** An entry to append, as the hook or the admin command makes it. */
export interface NewAuditEntry {
  at: Date;
  principalKind: AuditPrincipalKind;
  principalId: string | null;
  principalName: string;
  action: string;
  targetIds: string[];
  outcome: AuditOutcome;
  errorCode: string | null;
}

/** What `auditLog` filters on; `afterId` is the cursor (entries older than it). */
export interface AuditFilter {
  principalKind?: AuditPrincipalKind | null;
  principalId?: string | null;
  action?: string | null;
  outcome?: AuditOutcome | null;
  afterId?: string | null;
}

/**
 * The owner of `audit_log`, which is append-only: this class only inserts, reads and prunes what
 * is older than the retention. A trigger (Migration20261206130000Audit) refuses every UPDATE,
 * TRUNCATE and any DELETE outside `prune`.
 */
export class AuditRepository extends SqlRepository<AuditEntry> {
  /** Appends entries in one statement, on the pool: never in a caller's transaction, whose rollback would take them along. */
  async append(entries: readonly NewAuditEntry[]): Promise<void> {
    if (!entries.length) return;
    const rows = entries.map((e) => ({
      at: e.at.toISOString(), principal_kind: e.principalKind, principal_id: e.principalId, principal_name: e.principalName,
      action: e.action, target_ids: e.targetIds, outcome: e.outcome, error_code: e.errorCode,
    }));
    // SQL: a group commit of many entries in one insert (one round trip for every buffered mutation).
    await this.db.query(
      `insert into audit_log (at, principal_kind, principal_id, principal_name, action, target_ids, outcome, error_code)
       select at, principal_kind, principal_id, principal_name, action, target_ids, outcome, error_code
       from jsonb_to_recordset($1::jsonb) as r(at timestamptz, principal_kind text, principal_id bigint, principal_name text,
                                               action text, target_ids text[], outcome text, error_code text)`,
      [JSON.stringify(rows)],
    );
  }

  /**
   * Deletes at most `batch` entries older than `before`, in a short transaction of its own; returns
   * how many. Called in a loop, each batch holds its row locks only for a moment.
   */
  async pruneBatch(before: Date, batch: number): Promise<number> {
    return this.db.transaction(async (tx) => {
      // SQL: the append-only trigger lets a DELETE through only with this transaction-local setting.
      await tx.query(`select set_config('inbox.audit_prune', 'on', true)`);
      // SQL: a bounded delete by id (a LIMIT), which the entity manager cannot express.
      const { rowCount } = await tx.query(
        `delete from audit_log where id in (select id from audit_log where at < $1 order by at limit $2)`,
        [before, batch],
      );
      return rowCount ?? 0;
    });
  }

  /** A page of entries, newest first: `first + 1` rows, so the caller can tell whether more follow. */
  page(filter: AuditFilter, first: number): Promise<AuditEntry[]> {
    return this.find(this.where(filter), { orderBy: { id: 'desc' }, limit: first + 1 });
  }

  /** How many entries the filter matches (without the cursor). */
  total(filter: AuditFilter): Promise<number> {
    return this.count(this.where({ ...filter, afterId: null }));
  }

  private where(f: AuditFilter): FilterQuery<AuditEntry> {
    return {
      ...(f.principalKind ? { principalKind: f.principalKind } : {}),
      ...(f.principalId ? { principalId: f.principalId } : {}),
      ...(f.action ? { action: f.action } : {}),
      ...(f.outcome ? { outcome: f.outcome } : {}),
      ...(f.afterId ? { id: { $lt: f.afterId } } : {}),
    };
  }
}
