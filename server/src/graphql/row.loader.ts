import DataLoader from 'dataloader';
import type pg from 'pg';

type Row = Record<string, any>;
type Table = 'message' | 'contact';

const loaders = new WeakMap<pg.Pool, Record<Table, DataLoader<string, Row | undefined>>>();

function loader(pool: pg.Pool, table: Table): DataLoader<string, Row | undefined> {
  return new DataLoader<string, Row | undefined>(
    async (ids) => {
      const { rows } = await pool.query(`select * from ${table} where id = any($1::bigint[])`, [ids]);
      const byId = new Map(rows.map((r) => [String(r.id), r]));
      return ids.map((id) => byId.get(id));
    },
    { cache: false, maxBatchSize: 1000 },
  );
}

/**
 * One row of `message` or `contact` by id, as it is now (nothing cached). Reads asked for in the same
 * tick share one query: a committed batch of webhook events arrives as hundreds of notifications at
 * once, and every subscription resolves its event's rows through here.
 */
export function loadRow(pool: pg.Pool, table: Table, id: string): Promise<Row | undefined> {
  let byTable = loaders.get(pool);
  if (!byTable) loaders.set(pool, (byTable = { message: loader(pool, 'message'), contact: loader(pool, 'contact') }));
  return byTable[table].load(String(id));
}
