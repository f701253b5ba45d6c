import type pg from 'pg';
import { CHANNEL, encodeNotification, NOTIFY_SQL, packNotifications, type Notification, type Topic, type Topics } from '../pubsub.js';

/** A pg client inside an open transaction. Notifications queued on it go out only if it commits. */
export class Tx {
  constructor(readonly client: pg.PoolClient | pg.Client) {}

  async rows<R extends pg.QueryResultRow = Record<string, any>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.client.query<R>(sql, params)).rows;
  }

  async one<R extends pg.QueryResultRow = Record<string, any>>(sql: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(sql, params))[0];
  }

  async notify<T extends Topic>(topic: T, payload: Topics[T]): Promise<void> {
    await this.client.query(NOTIFY_SQL, [encodeNotification({ topic, payload })]);
  }

  /** Queues many notifications in one round trip. */
  async notifyMany(notifications: Notification[]): Promise<void> {
    if (notifications.length === 0) return;
    await this.client.query(`select pg_notify('${CHANNEL}', n) from unnest($1::text[]) n`, [packNotifications(notifications)]);
  }
}

/** Runs `fn` in a transaction on a pooled client; rolls back on error. */
export async function inTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  // A checked-out client has no pool listener: without this, a server-side disconnect crashes the process.
  const onError = () => undefined;
  client.on('error', onError);
  try {
    await client.query('begin');
    const result = await fn(new Tx(client));
    await client.query('commit');
    return result;
  } catch (err) {
    await client.query('rollback').catch(() => undefined);
    throw err;
  } finally {
    client.off('error', onError);
    client.release();
  }
}
