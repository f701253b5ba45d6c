import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, startTestEnv, waitFor, type TestEnv } from './harness.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Runs `npm run admin -- …` as an operator would (without npm's banner), on `databaseUrl`. */
function admin(databaseUrl: string, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/admin.ts', ...args], {
      cwd: root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const ME = `{ me { kind name scopes expiresAt apiKey { id name } } }`;

describe('npm run admin', () => {
  let databaseUrl: string;
  let t: TestEnv | undefined;
  let key: string;
  beforeAll(async () => {
    // A fresh database nothing has migrated yet: the command makes the first key before any start.
    databaseUrl = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('create-key prints one new key alone on stdout, and nothing secret elsewhere', async () => {
    const r = await admin(databaseUrl, 'create-key', '--name', 'ops team', '--scopes', 'ADMIN,read', '--expires', '2099-01-01T00:00:00Z');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wai_[\w-]{43}\n$/);
    key = r.stdout.trim();
    expect(r.stderr).toContain('ops team');
    expect(r.stderr).toContain('ADMIN, READ');
    expect(r.stderr).not.toContain(key);
    expect(r.stderr).not.toContain(key.slice(12)); // the prefix may show, the rest never
  });

  it('the printed key calls the API with the scopes it was given', async () => {
    t = await startTestEnv({ databaseUrl });
    const res = await t.gql(ME, {}, key);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.me).toMatchObject({ kind: 'API_KEY', name: 'ops team', expiresAt: '2099-01-01T00:00:00.000Z', apiKey: { name: 'ops team' } });
    expect([...res.body.data.me.scopes].sort()).toEqual(['ADMIN', 'READ']);
    // ADMIN lets it see the team's keys; it was not given SEND.
    expect((await t.gql(`{ apiKeys { name } }`, {}, key)).body.data.apiKeys).toEqual([{ name: 'ops team' }]);
    const send = await t.gql(`mutation { sendMessage(input: { to: "15551234567", text: "hi" }) { id } }`, {}, key);
    expect(send.body.errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('list-keys shows the keys without the keys themselves', async () => {
    const r = await admin(databaseUrl, 'list-keys');
    expect(r.code, r.stderr).toBe(0);
    const [header, row, ...rest] = r.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^id\s+name\s+scopes\s+prefix/);
    expect(rest).toEqual([]);
    expect(row).toMatch(/^\d+\s+ops team\s+ADMIN,READ\s+wai_\S{8}\s.*2099-01-01T00:00:00Z\s+active$/);
    expect(r.stdout + r.stderr).not.toContain(key.slice(12));
  });

  it('revoke-key makes the key refused', async () => {
    const id = (await t!.gql(ME, {}, key)).body.data.me.apiKey.id;
    const r = await admin(databaseUrl, 'revoke-key', '--id', id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`revoked API key ${id} "ops team"`);
    // The running server sees another process's revocation within its credential cache's few seconds.
    const refused = await waitFor(async () => {
      const res = await t!.gql(ME, {}, key);
      return res.status === 401 ? res : null;
    }, 15_000, 'the revoked key to be refused');
    expect(refused.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(refused.body.errors?.[0].message).toMatch(/revoked/);
    expect((await admin(databaseUrl, 'list-keys')).stdout).toMatch(/ops team .*revoked \d{4}-/);
  });

  it('bad arguments get a clear usage error and exit 2, without touching the database', async () => {
    const cases: [string[], RegExp][] = [
      [['create-key', '--name', 'x', '--scopes', 'READ,EVERYTHING'], /unknown scope EVERYTHING; scopes are READ, SEND, BULK, ADMIN, SESSIONS, METRICS/],
      [['create-key', '--scopes', 'READ'], /needs --name/],
      [['create-key', '--name', 'x'], /needs --scopes/],
      [['create-key', '--name', 'x', '--scopes', 'READ', '--expires', 'next year'], /--expires must be an ISO 8601 instant/],
      [['create-key', '--name', 'x', '--scopes', 'READ', '--expires', '2020-01-01T00:00:00Z'], /in the past/],
      [['revoke-key'], /needs --id/],
      [['revoke-key', '--id', 'abc'], /needs --id/],
      [['list-keys', '--id', '1'], /list-keys takes no --id/],
      [['rotate-keys'], /unknown command rotate-keys/],
      [[], /give a command/],
      [['create-key', '--name', 'x', '--scopes', 'READ', '--colour', 'red'], /Unknown option '--colour'/],
    ];
    // An unreachable database: a usage error must come before any connection is tried.
    const nowhere = 'postgres://nobody@127.0.0.1:9/none';
    for (const [args, message] of cases) {
      const r = await admin(nowhere, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr).toContain('usage: npm run -s admin');
      expect(r.stdout).toBe('');
    }
  }, 120_000);

  it('an unknown key id and an unreachable database are failures (exit 1) saying so', async () => {
    const missing = await admin(databaseUrl, 'revoke-key', '--id', '999999');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no API key 999999/);
    // The changing commands are in the audit log as the shell user; the failed one with its code.
    const audit = await t!.db.query(`select principal_kind, principal_id, action, target_ids, outcome, error_code from audit_log where principal_kind = 'CLI' order by id`);
    const keyId = (await t!.db.query(`select id::text as id from api_key where name = 'ops team'`)).rows[0].id;
    expect(audit.rows).toEqual([
      { principal_kind: 'CLI', principal_id: null, action: 'createApiKey', target_ids: [`ApiKey:${keyId}`], outcome: 'ALLOWED', error_code: null },
      { principal_kind: 'CLI', principal_id: null, action: 'revokeApiKey', target_ids: [`ApiKey:${keyId}`, `id:${keyId}`], outcome: 'ALLOWED', error_code: null },
      { principal_kind: 'CLI', principal_id: null, action: 'revokeApiKey', target_ids: ['id:999999'], outcome: 'FAILED', error_code: 'NOT_FOUND' },
    ]);
    const down = await admin('postgres://nobody:hunter2secret@127.0.0.1:9/none', 'list-keys');
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/ECONNREFUSED/);
    expect(down.stderr).not.toContain('hunter2secret');
  });
});
