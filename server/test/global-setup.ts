import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL URL with the right to create databases: DATABASE_URL, or the embedded server's. */
    adminUrl: string;
  }
}

let db: EmbeddedDatabase | undefined;

/** One real PostgreSQL for the run: DATABASE_URL when given, else an embedded one, stopped at the end. */
export async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('adminUrl', process.env.DATABASE_URL);
    return;
  }
  db = await startEmbeddedPostgres({ dir: path.join(os.tmpdir(), `inbox-test-pg-${process.pid}`), persistent: false, database: 'postgres' });
  project.provide('adminUrl', db.adminUrl);
}

export async function teardown() {
  await db?.stop();
}
