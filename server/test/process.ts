import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { APP_SECRET, PHONE_NUMBER_ID, SESSION_SECRET, TEST_TOKEN, VERIFY_TOKEN } from './harness.js';

const root = path.resolve(import.meta.dirname, '../..');

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything it printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal) once it has exited. */
  exited: Promise<number | string>;
  /** SIGKILL if still running (for `finally` blocks). */
  kill(): Promise<void>;
}

/**
 * Starts `server/src/index.ts` as its own OS process on `databaseUrl` and waits until it listens.
 * `preload`: test modules the process imports first (fault seams such as `faults/poison.hook.ts`).
 * `built`: run a compiled server instead, `node <entry>` in `cwd` (what the image runs).
 */
export async function spawnServer(
  databaseUrl: string,
  graphApiUrl: string,
  env: Record<string, string> = {},
  preload: string[] = [],
  built?: { cwd: string; entry: string },
): Promise<ServerProcess> {
  const args = built ? [built.entry] : ['--import', 'tsx', ...preload.flatMap((file) => ['--import', path.resolve(file)]), 'server/src/index.ts'];
  const child = spawn(process.execPath, args, {
    cwd: built?.cwd ?? root,
    env: {
      PATH: process.env.PATH,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      AUTH_TOKENS: TEST_TOKEN,
      WHATSAPP_API_TOKEN: 'graph-token',
      SESSION_SECRET,
      WHATSAPP_APP_SECRET: APP_SECRET,
      WHATSAPP_WEBHOOK_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      WHATSAPP_API_BASE_URL: graphApiUrl,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave it running behind a failed test
      reject(new Error(`server did not start within 60 s:\n${out}`));
    }, 60_000);
    const check = () => {
      const m = /"url":"(http:\/\/[^"]+)","msg":"inbox running"/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', check);
    exited.then(() => reject(new Error(`server exited before listening:\n${out}`)));
  });
  return {
    child,
    url,
    output: () => out,
    exited,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
}

/** A GraphQL request to a spawned server (`url`) with the test token; the answer's JSON. */
export async function gqlAt(url: string, query: string, variables: Record<string, unknown>): Promise<any> {
  const res = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
    body: JSON.stringify({ query, variables }),
  });
  return res.json();
}
