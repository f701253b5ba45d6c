import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { EmbeddedPostgresError, startEmbeddedPostgres } from '../src/db/embedded.js';
import { platformBinaries, postgresUser, reachableBinaries } from '../src/db/pg.binaries.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const asRoot = process.getuid?.() === 0;
const dirs: string[] = [];
const tempDir = (name: string, mode: number) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  fs.chmodSync(dir, mode);
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A project in a private folder, as in /root/inbox (mode 700): its own copy of PostgreSQL's binaries. */
function privateBinaries() {
  const home = tempDir('inbox-home-', 0o700);
  const dir = path.join(home, 'native');
  fs.cpSync(platformBinaries().dir, dir, { recursive: true, verbatimSymlinks: true });
  return { dir, version: `test-${path.basename(home)}` };
}

describe('embedded PostgreSQL from a private folder', () => {
  // Not root, the server runs as we do and reaches our own folders: only the in-place half runs then.
  it.runIf(asRoot)('as root, runs a reachable copy of the binaries, made once and reused', async () => {
    const source = privateBinaries();
    const runAs = postgresUser();
    // The situation of issue 17: the postgres user cannot run the binaries where they were installed.
    const direct = spawnSync(path.join(source.dir, 'bin/postgres'), ['--version'], runAs);
    expect((direct.error as NodeJS.ErrnoException | undefined)?.code).toBe('EACCES');

    const cacheDir = path.join(tempDir('inbox-cache-', 0o755), 'bins');
    const binaries = reachableBinaries({ runAs, source, cacheDir });
    expect(binaries.copiedFrom).toBe(source.dir);
    expect(path.dirname(binaries.dir)).toBe(cacheDir);
    expect(path.basename(binaries.dir)).toContain(source.version);

    const db = await startEmbeddedPostgres({ dir: path.join(tempDir('inbox-data-', 0o755), 'pg'), persistent: false, binaries });
    try {
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query<{ user: string }>('select current_user as user');
      await client.end();
      expect(rows[0]!.user).toBe('postgres');
    } finally {
      await db.stop();
    }

    // The next start reuses the copy: the same folder, no half copies left behind.
    const inode = fs.statSync(binaries.dir).ino;
    const again = reachableBinaries({ runAs, source, cacheDir });
    expect(again.dir).toBe(binaries.dir);
    expect(fs.statSync(again.dir).ino).toBe(inode);
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(binaries.dir)]);

    // A copy broken since (a cleaner of /tmp took part of it) is made again.
    fs.rmSync(path.join(binaries.dir, 'bin/postgres'));
    const repaired = reachableBinaries({ runAs, source, cacheDir });
    expect(fs.existsSync(path.join(repaired.dir, 'bin/postgres'))).toBe(true);
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(binaries.dir)]);
  }, 120_000);

  it.runIf(asRoot)('as root, two processes starting at once share one whole copy', async () => {
    const source = privateBinaries();
    const cacheDir = path.join(tempDir('inbox-cache-', 0o755), 'bins');
    const module = path.join(ROOT, 'server/src/db/pg.binaries.ts');
    const copyInChild = () =>
      new Promise<string>((resolve, reject) => {
        const code = `import { postgresUser, reachableBinaries } from ${JSON.stringify(module)};
          console.log(reachableBinaries({ runAs: postgresUser(), source: ${JSON.stringify(source)}, cacheDir: ${JSON.stringify(cacheDir)} }).dir);`;
        const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.once('exit', (status) => (status === 0 ? resolve(out.trim()) : reject(new Error(`exit ${status}`))));
      });
    const [a, b] = await Promise.all([copyInChild(), copyInChild()]);
    expect(a).toBe(b);
    expect(fs.readdirSync(cacheDir)).toEqual([path.basename(a)]);
    const version = spawnSync(path.join(a, 'bin/postgres'), ['--version'], { ...postgresUser(), encoding: 'utf8' });
    expect(version.stdout).toMatch(/^postgres \(PostgreSQL\) \d+/);
  }, 120_000);

  it.skipIf(asRoot)('not root, runs the binaries where they are', async () => {
    const source = privateBinaries();
    const binaries = reachableBinaries({ runAs: postgresUser(), source, cacheDir: path.join(tempDir('inbox-cache-', 0o755), 'bins') });
    expect(binaries.dir).toBe(source.dir);
    const db = await startEmbeddedPostgres({ dir: path.join(tempDir('inbox-data-', 0o700), 'pg'), persistent: false, binaries });
    await db.stop();
  }, 120_000);

  it.runIf(asRoot)('as root, a data folder the postgres user cannot enter is refused in one line saying what to do', async () => {
    const dir = path.join(tempDir('inbox-home-', 0o700), '.data', 'pg');
    const err = await startEmbeddedPostgres({ dir, persistent: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EmbeddedPostgresError);
    expect((err as Error).message).toMatch(/cannot enter .*set DATA_DIR to a folder outside it/);

    // npm start prints that line and exits 1, without a stack trace.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/index.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, DATA_DIR: path.dirname(dir), PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('set DATA_DIR to a folder outside it');
    expect(out).not.toMatch(/\n\s+at /);
  }, 60_000);
});
