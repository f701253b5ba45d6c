import type { Sql } from '../db/db.js';

/**
 * A value read from each pool's database and kept `ttlMs`: a stale one serves while the next is
 * read. A read that fails fails only a caller with nothing to serve; otherwise the next call after it
 * reads again (unawaited, its rejection would end the process).
 */
export function poolCache<T>(ttlMs: number, read: (pool: Sql) => Promise<T>): (pool: Sql) => Promise<T> {
  const entries = new WeakMap<Sql, { at: number; current?: T; reading?: Promise<T> }>();
  return (pool) => {
    let entry = entries.get(pool);
    if (!entry) entries.set(pool, (entry = { at: 0 }));
    const e = entry;
    if (e.current === undefined || Date.now() - e.at > ttlMs) {
      if (!e.reading) {
        e.reading = read(pool).then(
          (value) => ((e.current = value), (e.at = Date.now()), (e.reading = undefined), value),
          (err: unknown) => {
            e.reading = undefined;
            throw err;
          },
        );
        e.reading.catch(() => undefined);
      }
      if (e.current === undefined) return e.reading;
    }
    return Promise.resolve(e.current);
  };
}
