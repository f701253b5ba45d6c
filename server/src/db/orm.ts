import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { useMetadata } from './columns.js';
import { migrationsList } from './migrations/index.js';

/** MikroORM's options for the app's `entities` (entities.ts) on the database at `clientUrl`. */
export function ormOptions(clientUrl: string, entities: NonNullable<Options['entities']>): Options {
  return {
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    forceUtcTimezone: true,
    // The app's one pool: the entity manager's queries and the SQL of repositories and search (db.ts).
    pool: { min: 0, max: 20 },
    // compileSqlOnError: knex would put the statement with its values (a customer's text) in the error's message.
    driverOptions: { acquireConnectionTimeout: 3000, compileSqlOnError: false },
    discovery: { warnWhenNoEntities: false },
    // Trigger-kept counters of `stats` (Migration20261126050000QueryIndexes) and words of messages
    // (Migration20261126090000SearchWords), not entities.
    schemaGenerator: { ignoreSchema: ['inbox_stats', 'inbox_search'] },
  };
}

/** Connects and applies the checked-in migrations. */
export async function initOrm(clientUrl: string, entities: NonNullable<Options['entities']>): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(clientUrl, entities));
  useMetadata(orm.getMetadata());
  await orm.migrator.up();
  return orm;
}
