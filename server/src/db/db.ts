import type { EntityManager } from '@mikro-orm/postgresql';
import type pg from 'pg';
import { statement, Tx, type Sql, type SqlResult } from './tx.js';

export type { Sql, SqlResult } from './tx.js';

/** Where connections come from: MikroORM's pool in the app (Db.of), a plain pg.Pool in tools and tests. */
export interface Connections {
  acquire(): Promise<pg.Client>;
  release(connection: pg.Client): unknown;
  stats?(): { used: number; idle: number; waiting: number };
  end?(): Promise<void>;
}

interface KnexClient {
  acquireConnection(): Promise<pg.Client>;
  releaseConnection(connection: pg.Client): Promise<void>;
  pool?: { numUsed(): number; numFree(): number; numPendingAcquires(): number };
}

const pools = new WeakMap<object, Db>();

/**
 * SQL on pg connections taken from a pool: in the app, the pool MikroORM's own queries use, so there
 * is one pool. Statements run with pg's `$n` parameters as written (MikroORM's `execute` would
 * interpolate the values into the text), for the repositories' set-wise statements and search.
 */
export class Db implements Sql {
  constructor(private readonly connections: Connections) {}

  /** The pool of MikroORM's connection; one Db per pool, whichever fork of the entity manager asks. */
  static of(em: EntityManager): Db {
    const client = em.getConnection().getKnex().client as unknown as KnexClient;
    let db = pools.get(client);
    if (!db) pools.set(client, (db = Db.overKnex(client)));
    return db;
  }

  private static overKnex(client: KnexClient): Db {
    return new Db({
      acquire: () => client.acquireConnection(),
      release: (connection) => client.releaseConnection(connection),
      stats: () => ({ used: client.pool?.numUsed() ?? 0, idle: client.pool?.numFree() ?? 0, waiting: client.pool?.numPendingAcquires() ?? 0 }),
    });
  }

  /** A plain pg.Pool's connections (tools, tests and benchmarks, which run beside an app). */
  static over(pool: pg.Pool): Db {
    return new Db({ acquire: () => pool.connect(), release: (connection) => (connection as pg.PoolClient).release(), end: () => pool.end() });
  }

  /** Runs one statement on a free connection. */
  async query<R = any>(text: string | pg.QueryConfig | pg.QueryArrayConfig, params?: unknown[]): Promise<SqlResult<R>> {
    const connection = await this.connections.acquire();
    try {
      return (await connection.query(statement(text, params))) as unknown as SqlResult<R>;
    } finally {
      await this.connections.release(connection);
    }
  }

  /** Runs `fn` in a transaction on one connection; rolls back on error. */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const connection = await this.connections.acquire();
    try {
      await connection.query('begin');
      try {
        const result = await fn(new Tx(connection));
        await connection.query('commit');
        return result;
      } catch (err) {
        await connection.query('rollback').catch(() => undefined);
        throw err;
      }
    } finally {
      await this.connections.release(connection);
    }
  }

  /** Ends a pool of its own (Db.over); MikroORM closes the app's. */
  async close(): Promise<void> {
    await this.connections.end?.();
  }

  /** Connections in use, idle, and requests waiting for one. */
  stats(): { used: number; idle: number; waiting: number } {
    return this.connections.stats?.() ?? { used: 0, idle: 0, waiting: 0 };
  }
}
