// Prints the SQL that brings an empty database to the current entities (a starting point for a migration).
import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import { startEmbeddedPostgres } from '../server/src/db/embedded.js';
import { ormOptions } from '../server/src/db/orm.js';
import { entities } from '../server/src/entities.js';
import os from 'node:os';
import path from 'node:path';

const db = await startEmbeddedPostgres({ dir: path.join(os.tmpdir(), `inbox-mig-${process.pid}`), persistent: false });
try {
  const orm = await MikroORM.init({ ...ormOptions(db.url, entities) });
  await orm.migrator.up();
  console.log(await orm.schema.getUpdateSchemaSQL({ wrap: false }));
  await orm.close();
} finally {
  await db.stop();
}
