/**
 * The app as the benchmarks run it: in this process, on loopback, silent, with the bench's secrets
 * and token, on its own database of the bench's embedded PostgreSQL; nothing is ever sent to Meta.
 */
import pg from 'pg';
import { createApp, type App } from '../server/src/app.js';
import { loadConfig } from '../server/src/config.js';
import type { EmbeddedDatabase } from '../server/src/db/embedded.js';
import { APP_SECRET, AUTH_TOKEN, PHONE_NUMBER_ID } from './payload.js';

/** Creates database `name` on the bench's PostgreSQL and returns its URL. */
export async function createDatabase(database: EmbeddedDatabase, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: database.adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`).finally(() => admin.end());
  return database.url.replace(/\/[^/?]+(\?.*)?$/, `/${name}$1`);
}

/** The app on `databaseUrl`; `env` adds to or overrides the bench's settings. */
export function startBenchApp(databaseUrl: string, dataDir: string, env: Record<string, string> = {}): Promise<App> {
  return createApp(loadConfig({
    PORT: '0', HOST: '127.0.0.1', DATABASE_URL: databaseUrl, DATA_DIR: dataDir, LOG_LEVEL: 'silent',
    AUTH_TOKENS: AUTH_TOKEN, SESSION_SECRET: 'bench-session-secret-of-at-least-32-chars', WHATSAPP_API_TOKEN: 'bench-graph-token', WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'bench-verify', WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_BUSINESS_ACCOUNT_ID: 'waba-bench', WHATSAPP_API_BASE_URL: 'http://127.0.0.1:9', // nothing is sent
    // The fanout section's thousand subscribers all come from loopback, over the per-address cap's default.
    WS_MAX_CONNECTIONS_PER_IP: '100000',
    ...env,
  }));
}

/** Creates database `name` and applies the app's migrations to it (an app started and closed on it); returns its URL. */
export async function createMigratedDatabase(database: EmbeddedDatabase, name: string, dataDir: string): Promise<string> {
  const url = await createDatabase(database, name);
  const app = await startBenchApp(url, dataDir);
  await app.close();
  return url;
}
