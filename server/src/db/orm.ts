import { MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { BulkSend } from '../bulk/bulk-send.entity.js';
import { Contact } from '../contacts/contact.entity.js';
import { Media } from '../media/media.entity.js';
import { Message } from '../messages/message.entity.js';
import { Template } from '../templates/template.entity.js';
import { AccountEvent, MessageStatusEvent, WebhookEvent } from '../webhook/webhook-event.entity.js';
import { migrationsList } from './migrations/index.js';

export const entities = [Contact, Message, WebhookEvent, MessageStatusEvent, AccountEvent, Template, Media, BulkSend];

export function ormOptions(clientUrl: string): Options {
  return {
    clientUrl,
    entities,
    extensions: [Migrator],
    migrations: { migrationsList, transactional: true, allOrNothing: true, snapshot: false, silent: true },
    forceUtcTimezone: true,
    // The app's one pool: the entity manager's queries and the SQL of repositories and search (db.ts).
    pool: { min: 0, max: 20 },
    driverOptions: { acquireConnectionTimeout: 3000 },
    discovery: { warnWhenNoEntities: false },
    // Trigger-kept counters of `stats` (Migration20261126050000QueryIndexes) and words of messages
    // (Migration20261126090000SearchWords), not entities.
    schemaGenerator: { ignoreSchema: ['inbox_stats', 'inbox_search'] },
  };
}

/** Connects and applies the checked-in migrations. */
export async function initOrm(clientUrl: string): Promise<MikroORM> {
  const orm = await MikroORM.init(ormOptions(clientUrl));
  await orm.migrator.up();
  return orm;
}
