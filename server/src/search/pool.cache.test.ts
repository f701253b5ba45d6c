import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/harness.js';
import { poolCache } from './pool.cache.js';

let url: string;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
beforeAll(async () => {
  url = await createTestDatabase();
});

describe('search statistics read per pool', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => void unhandled.push(err);
  beforeAll(() => void process.on('unhandledRejection', onUnhandled));
  afterAll(() => void process.off('unhandledRejection', onUnhandled));

  it('serve the last value while the database is gone, and fail only a caller with nothing to serve', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    let reads = 0;
    const read = poolCache(0, async (p) => (reads++, (await p.query<{ n: number }>('select 41 + 1 as n')).rows[0]!.n));
    expect(await read(pool)).toBe(42);
    await pool.end(); // as if the database went away between two searches
    await sleep(5); // older than its time to live
    expect(await read(pool)).toBe(42); // stale, while the next read fails
    await sleep(100);
    expect(reads).toBe(2);
    expect(unhandled).toEqual([]); // a failed read nobody awaited used to end the process
    await sleep(5);
    expect(await read(pool)).toBe(42);
    expect(reads).toBe(3); // a failed read is tried again by the next call
    const first = poolCache(0, async (p) => (await p.query('select 1')).rows.length);
    await expect(first(pool)).rejects.toThrow(/pool/i);
  });
});
