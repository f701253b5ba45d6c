import pg from 'pg';

const STARTUP_LOCK = 'inbox-startup';

/**
 * Takes a session-level advisory lock on a connection of its own and answers the function that
 * releases it. Held around the schema's migrations and pg-boss's start (its schema and queues), so
 * processes started together on one database set both up one after the other: the first migrates, the
 * others wait and find nothing left to do. A process that dies holding it loses it with its connection.
 */
export async function holdStartupLock(databaseUrl: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
  client.on('error', () => undefined); // a lost connection only ends the lock early; the start goes on
  await client.connect();
  try {
    await client.query(`select pg_advisory_lock(hashtext($1))`, [STARTUP_LOCK]);
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
  let released: Promise<void> | undefined;
  return () => (released ??= client.query(`select pg_advisory_unlock(hashtext($1))`, [STARTUP_LOCK]).then(() => undefined, () => undefined).finally(() => client.end().catch(() => undefined)));
}
