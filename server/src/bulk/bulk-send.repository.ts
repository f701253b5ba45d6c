import { SqlRepository } from '../db/repository.js';
import type { Tx } from '../db/tx.js';
import { BulkSend, BulkSendControl } from './bulk-send.entity.js';

/** A bulk send about to be created. */
export interface NewBulkSend {
  name: string | null;
  clientBulkId: string | null;
  kind: 'TEXT' | 'TEMPLATE';
  /** Distinct recipients. */
  total: number;
  /** Who launched it: an agent, or an API key (both null for a bootstrap key). */
  launchedByAgentId: string | null;
  launchedByApiKeyId: string | null;
}

/** The owner of the `bulk_send` table: campaigns and their control state (running, paused, cancelled). */
export class BulkSendRepository extends SqlRepository<BulkSend> {
  /** Creates a bulk send in the caller's transaction; null when one with its clientBulkId exists already. */
  async add(tx: Tx, b: NewBulkSend): Promise<string | null> {
    // SQL: runs in the caller's transaction (a Tx), beside the inserts of its messages and their send jobs.
    const row = await tx.one(
      `insert into bulk_send (name, client_bulk_id, kind, total, launched_by_agent_id, launched_by_api_key_id)
       values ($1, $2, $3, $4, $5, $6) on conflict (client_bulk_id) do nothing returning id`,
      [b.name, b.clientBulkId, b.kind, b.total, b.launchedByAgentId, b.launchedByApiKeyId],
    );
    return row ? String(row.id) : null;
  }

  /** Pauses, resumes or cancels a bulk send in the caller's transaction. */
  async setStatus(tx: Tx, id: string, status: BulkSendControl): Promise<void> {
    // SQL: runs in the caller's transaction (a Tx), beside the updates and send jobs of its messages.
    await tx.rows(`update bulk_send set status = $2, updated_at = now() where id = $1`, [id, status]);
  }

  /** The bulk send created with this client id, or null. */
  byClientBulkId(clientBulkId: string): Promise<BulkSend | null> {
    return this.findOne({ clientBulkId });
  }

  /** The newest bulk sends, newest first. */
  newest(first: number): Promise<BulkSend[]> {
    return this.find({}, { orderBy: { id: 'desc' }, limit: first });
  }

  /** A bulk send's control state, or null when it is gone. */
  async controlStatus(id: string): Promise<BulkSendControl | null> {
    // SQL: a fresh read each time (the send dispatcher polls it), with no identity map to grow.
    const { rows } = await this.db.query(`select status from bulk_send where id = $1`, [id]);
    return rows[0]?.status ?? null;
  }
}
