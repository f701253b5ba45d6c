import DataLoader from 'dataloader';
import { selectList } from './columns.js';
import type { Db } from './db.js';

type Row = Record<string, any>;
type Table = 'message' | 'contact' | 'agent';
const ENTITIES: Record<Table, string> = { message: 'Message', contact: 'Contact', agent: 'Agent' };

const loaders = new WeakMap<Db, Record<Table, DataLoader<string, Row | undefined>>>();

function loader(pool: Db, table: Table): DataLoader<string, Row | undefined> {
  // One read at a time, in the order asked: an event read later must never see an older row than
  // one read before it (a READ frame followed by a SENT one), as reads on two pooled connections could.
  let previous: Promise<unknown> = Promise.resolve();
  return new DataLoader<string, Row | undefined>(
    (ids) => {
      const read = previous.then(async () => {
        const { rows } = await pool.query(`select ${selectList(ENTITIES[table])} from ${table} where id = any($1::bigint[])`, [ids]);
        const byId = new Map(rows.map((r) => [String(r.id), r]));
        return ids.map((id) => byId.get(id));
      });
      previous = read.catch(() => undefined);
      return read;
    },
    { cache: false, maxBatchSize: 1000 },
  );
}

/**
 * One row of `message`, `contact` or `agent` by id, as it is now (nothing cached). Reads asked for in the same
 * tick share one query: a committed batch of webhook events arrives as hundreds of notifications at
 * once, and every subscription resolves its event's rows through here. Reads run in the order asked.
 */
export function loadRow(pool: Db, table: Table, id: string): Promise<Row | undefined> {
  let byTable = loaders.get(pool);
  if (!byTable) loaders.set(pool, (byTable = { message: loader(pool, 'message'), contact: loader(pool, 'contact'), agent: loader(pool, 'agent') }));
  return byTable[table].load(String(id));
}
