/**
 * Runs bench/load.ts in a second Node process (so the load generator does not compete with the
 * server for its event loop) and returns the LoadResult it prints. The child is killed by PID if
 * it outlives its duration by more than `graceMs`, or when `abort()` is called during cleanup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LoadArgs, LoadResult } from './load.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const running = new Set<ChildProcess>();

/** Kills every load process still running (by PID). */
export function abortLoads(): void {
  for (const child of running) if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
}

export function runLoad(args: LoadArgs, graceMs = 30_000): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'load.ts'), JSON.stringify(args)], {
      cwd: path.resolve(here, '..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    running.add(child);
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (out += c));
    const timer = setTimeout(() => {
      if (child.exitCode === null && child.pid) process.kill(child.pid, 'SIGKILL');
    }, args.durationSeconds * 1000 + graceMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      running.delete(child);
      reject(err);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      const last = out.trim().split('\n').pop();
      if (code === 0 && last) {
        try {
          return resolve(JSON.parse(last) as LoadResult);
        } catch {
          /* fall through */
        }
      }
      reject(new Error(`load process exited with ${signal ?? code}; stdout: ${out.slice(0, 500)}`));
    });
  });
}
