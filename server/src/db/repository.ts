import { EntityRepository } from '@mikro-orm/postgresql';
import { Db } from './db.js';

/**
 * The owner of one table: the only code that writes it. Cold paths use the entity manager
 * (`this.em`); set-wise hot-path statements are SQL here, on `this.db` (MikroORM's pool) or on the
 * caller's transaction (a Tx), each with a line saying why it is not the entity manager.
 */
export abstract class SqlRepository<T extends object> extends EntityRepository<T> {
  /** MikroORM's pool, for statements outside a transaction. */
  protected get db(): Db {
    return Db.of(this.em);
  }
}
