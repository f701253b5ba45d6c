import pg from 'pg';

/** What a statement runs on: the pool (each statement on a free connection) or one transaction's connection. */
export interface Sql {
  query<R = any>(text: string | pg.QueryConfig | pg.QueryArrayConfig, params?: unknown[]): Promise<SqlResult<R>>;
}

/** A statement's answer, as pg gives it. */
export interface SqlResult<R> {
  rows: R[];
  rowCount: number | null;
  fields: pg.FieldDef[];
}

/**
 * A statement with pg's own type parsers: MikroORM's connections leave timestamps and the like as
 * text for its entity layer, while the SQL here reads them as pg makes them (Date, ...).
 */
export function statement(text: string | pg.QueryConfig | pg.QueryArrayConfig, params?: unknown[]): pg.QueryConfig {
  return typeof text === 'string' ? { text, values: params, types: pg.types } : { ...text, values: params ?? text.values, types: text.types ?? pg.types };
}

/** A connection inside an open transaction. Notifications queued on it go out only if it commits. */
export class Tx implements Sql {
  constructor(readonly client: pg.Client) {}

  /** Runs one statement in the transaction. */
  async query<R = any>(text: string | pg.QueryConfig | pg.QueryArrayConfig, params?: unknown[]): Promise<SqlResult<R>> {
    return (await this.client.query(statement(text, params))) as unknown as SqlResult<R>;
  }

  /** The rows a statement answers. */
  async rows<R = Record<string, any>>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.query<R>(sql, params)).rows;
  }

  /** Runs `fn` inside a savepoint: on error only its statements are rolled back (the transaction goes on), and the error is thrown. */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    await this.client.query('savepoint step');
    try {
      const result = await fn();
      await this.client.query('release savepoint step');
      return result;
    } catch (err) {
      await this.client.query('rollback to savepoint step');
      throw err;
    }
  }

  /** The first row a statement answers, or undefined. */
  async one<R = Record<string, any>>(sql: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(sql, params))[0];
  }
}
