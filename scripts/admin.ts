// Team administration from the shell, against the configured database (DATABASE_URL, or the embedded
// one under DATA_DIR as `npm start` uses it); it never starts the HTTP server.
//   npm run -s admin -- create-key --name NAME --scopes ADMIN[,READ…] [--expires 2027-01-01T00:00:00Z]
//   npm run -s admin -- list-keys
//   npm run -s admin -- revoke-key --id N
// create-key prints the new key alone on one stdout line (shown this once); everything else about it
// goes to stderr, which never carries a secret. Bad arguments exit with 2, other failures with 1.
// create-key and revoke-key are recorded in the audit log as the shell user (kind CLI).
import 'reflect-metadata';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { EmbeddedDatabase } from '../server/src/db/embedded.js';
import type { ApiKey } from '../server/src/identity/api-key.entity.js';
import { Scope } from '../server/src/identity/principal.js';

const USAGE = `usage: npm run -s admin -- <command> [options]
  create-key --name NAME --scopes SCOPE[,SCOPE…] [--expires 2027-01-01T00:00:00Z]
                 makes an API key and prints it (shown once) alone on stdout
  list-keys      every API key, newest first (never the keys themselves)
  revoke-key --id N
                 revokes a key at once
scopes: ${Object.values(Scope).join(', ')}
database: DATABASE_URL, or the embedded one under DATA_DIR (default ./.data) as npm start uses it`;

/** A mistake in the command line: said with the usage, exit code 2. */
class UsageError extends Error {}

/** What a command needs, checked before the database is touched. */
type Command =
  | { name: 'create-key'; keyName: string; scopes: Scope[]; expiresAt: Date | null }
  | { name: 'list-keys' }
  | { name: 'revoke-key'; id: string };

function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: { name: { type: 'string' }, scopes: { type: 'string' }, expires: { type: 'string' }, id: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values: v, positionals } = parsed;
  if (v.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (positionals.length !== 1) throw new UsageError(positionals.length ? `one command at a time, not ${positionals.join(' ')}` : 'give a command');
  const allowed: Record<Command['name'], string[]> = { 'create-key': ['name', 'scopes', 'expires'], 'list-keys': [], 'revoke-key': ['id'] };
  if (!Object.hasOwn(allowed, positionals[0]!)) throw new UsageError(`unknown command ${positionals[0]}`);
  const name = positionals[0] as Command['name'];
  const extra = Object.keys(v).filter((o) => !allowed[name].includes(o));
  if (extra.length) throw new UsageError(`${name} takes no --${extra.join(', --')}`);

  if (name === 'list-keys') return { name };
  if (name === 'revoke-key') {
    if (!v.id || !/^\d{1,18}$/.test(v.id)) throw new UsageError('revoke-key needs --id N, the id list-keys shows');
    return { name, id: v.id };
  }
  const keyName = v.name?.trim();
  if (!keyName) throw new UsageError('create-key needs --name NAME (who or what the key is for)');
  if (keyName.length > 200) throw new UsageError('--name may have at most 200 characters');
  if (!v.scopes?.trim()) throw new UsageError(`create-key needs --scopes, e.g. --scopes ADMIN or --scopes READ,SEND (of ${Object.values(Scope).join(', ')})`);
  const scopes = v.scopes.split(',').map((s) => s.trim().toUpperCase()).filter(Boolean);
  const unknown = scopes.filter((s) => !(Object.values(Scope) as string[]).includes(s));
  if (unknown.length) throw new UsageError(`unknown scope ${unknown.join(', ')}; scopes are ${Object.values(Scope).join(', ')}`);
  let expiresAt: Date | null = null;
  if (v.expires !== undefined) {
    // An instant with its zone, as AUTH_TOKENS expiries: a bare date would depend on this machine's zone.
    if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/.test(v.expires) || Number.isNaN(Date.parse(v.expires))) {
      throw new UsageError(`--expires must be an ISO 8601 instant with a zone, such as 2027-01-01T00:00:00Z, not ${JSON.stringify(v.expires)}`);
    }
    expiresAt = new Date(v.expires);
    if (expiresAt.getTime() <= Date.now()) throw new UsageError(`--expires ${v.expires} is in the past`);
  }
  return { name, keyName, scopes: scopes as Scope[], expiresAt };
}

/**
 * The database the server uses. A running server's embedded PostgreSQL is joined, not restarted
 * (starting it again would stop the server's); otherwise it is started for this command and stopped after.
 */
async function openDatabase(): Promise<{ orm: MikroORM; close(): Promise<void> }> {
  // Loaded here, not above: a usage error is answered at once, without loading the server.
  const [{ loadConfig }, { runningEmbeddedUrl, startEmbeddedPostgres }, { initOrm }, { entities }] = await Promise.all([
    import('../server/src/config.js'), import('../server/src/db/embedded.js'), import('../server/src/db/orm.js'), import('../server/src/entities.js'),
  ]);
  // Only the database settings: the rest of the server's configuration is not this command's to require.
  // DEMO=1: a DATABASE_URL without the rest of a deployment is this command's normal case, not an unsafe demo.
  const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, DATA_DIR: process.env.DATA_DIR, DEMO: '1' });
  let url = config.databaseUrl;
  let embedded: EmbeddedDatabase | undefined;
  if (!url) {
    const dir = path.join(config.dataDir, 'pg');
    url = runningEmbeddedUrl(dir) ?? undefined;
    if (!url) {
      embedded = await startEmbeddedPostgres({ dir });
      url = embedded.url;
    }
  }
  try {
    // Applies the migrations, so a first key can be made before the first start.
    const orm = await initOrm(url, entities);
    return {
      orm,
      async close() {
        await orm.close();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}

const when = (d: Date | null | undefined) => (d ? d.toISOString().replace(/\.\d{3}Z$/, 'Z') : '—');

/** Records a changing command in the audit log, as the GraphQL mutation it stands for; a failure with its error code. */
async function audited<T extends { id: string }>(orm: MikroORM, action: string, targetIds: string[], op: () => Promise<T>): Promise<T> {
  const [{ AuditEntry, AuditOutcome, AuditPrincipalKind }, { GraphQLError }] = await Promise.all([import('../server/src/audit/audit-entry.entity.js'), import('graphql')]);
  const at = new Date();
  const record = (outcome: (typeof AuditOutcome)[keyof typeof AuditOutcome], ids: string[], errorCode: string | null) =>
    orm.em.fork().getRepository(AuditEntry).append([{
      at, principalKind: AuditPrincipalKind.CLI, principalId: null, principalName: `${os.userInfo().username}@${os.hostname()}`, action, targetIds: ids, outcome, errorCode,
    }]);
  let result: T;
  try {
    result = await op();
  } catch (err) {
    const code = err instanceof GraphQLError && typeof err.extensions.code === 'string' ? err.extensions.code : 'INTERNAL_SERVER_ERROR';
    await record(AuditOutcome.FAILED, targetIds, code);
    throw err;
  }
  await record(AuditOutcome.ALLOWED, [`ApiKey:${result.id}`, ...targetIds], null);
  return result;
}

async function run(cmd: Command, orm: MikroORM): Promise<void> {
  const [{ ApiKey }, { CREDENTIAL_CACHE_MS }] = await Promise.all([import('../server/src/identity/api-key.entity.js'), import('../server/src/identity/authenticator.js')]);
  const keys = orm.em.fork().getRepository(ApiKey);
  switch (cmd.name) {
    case 'create-key': {
      const { key, apiKey } = await audited(orm, 'createApiKey', [], async () => {
        const created = await keys.issue({ name: cmd.keyName, scopes: cmd.scopes, expiresAt: cmd.expiresAt });
        return { ...created, id: created.apiKey.id };
      });
      console.error(`API key ${apiKey.id} "${apiKey.name}" (${apiKey.prefix}…) with ${apiKey.scopes.join(', ')}, expires ${apiKey.expiresAt ? when(apiKey.expiresAt) : 'never'}.`);
      console.error('It is shown this once: store it now. Send it as Authorization: Bearer <key>.');
      console.log(key);
      return;
    }
    case 'list-keys': {
      const all = await keys.list();
      if (all.length === 0) {
        console.error('no API keys yet: npm run -s admin -- create-key --name NAME --scopes ADMIN');
        return;
      }
      const now = Date.now();
      const state = (k: ApiKey) => (k.revokedAt ? `revoked ${when(k.revokedAt)}` : k.expiresAt && k.expiresAt.getTime() <= now ? `expired ${when(k.expiresAt)}` : 'active');
      const rows = [
        ['id', 'name', 'scopes', 'prefix', 'created', 'last used', 'expires', 'state'],
        ...all.map((k) => [k.id, k.name, k.scopes.join(','), k.prefix, when(k.createdAt), when(k.lastUsedAt), when(k.expiresAt), state(k)]),
      ];
      const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
      for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
      return;
    }
    case 'revoke-key': {
      const k = await audited(orm, 'revokeApiKey', [`id:${cmd.id}`], () => keys.revoke(cmd.id));
      console.log(`revoked API key ${k.id} "${k.name}" (${k.prefix}…) at ${when(k.revokedAt)}; running servers refuse it within ${CREDENTIAL_CACHE_MS / 1000} seconds`);
      return;
    }
  }
}

let cmd: Command;
try {
  cmd = parseCommand(process.argv.slice(2));
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  console.error(`admin: ${err.message}\n${USAGE}`);
  process.exit(2);
}

let db: Awaited<ReturnType<typeof openDatabase>> | undefined;
let code = 0;
try {
  db = await openDatabase();
  await run(cmd, db.orm);
} catch (err) {
  code = 1;
  // A configuration error is one line naming the variable already; the rest say they are the admin command's.
  const { ConfigError } = await import('../server/src/config.js');
  console.error(err instanceof ConfigError ? err.message : `admin: ${(err as Error)?.message ?? String(err)}`);
} finally {
  await db?.close().catch((err: Error) => console.error(`admin: could not close the database: ${err.message}`));
}
process.exit(code);
