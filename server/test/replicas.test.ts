import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../simulator/src/simulator.js';
import { migrationsList } from '../src/db/migrations/index.js';
import { APP_SECRET, createTestDatabase, PHONE_NUMBER_ID, TEST_TOKEN } from './harness.js';
import { spawnServer, type ServerProcess } from './process.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ appSecret: APP_SECRET, accessToken: 'graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-1', log: () => undefined });
});
afterAll(() => sim?.close());

describe('several replicas', () => {
  it('two processes started at once on a fresh database both come up, and each migration runs once', { timeout: 120_000 }, async () => {
    const url = await createTestDatabase();
    const started = await Promise.allSettled([spawnServer(url, sim.url), spawnServer(url, sim.url)]);
    const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    try {
      expect(started.filter((s) => s.status === 'rejected').map((s) => String((s as PromiseRejectedResult).reason).slice(0, 2000))).toEqual([]);
      for (const s of servers as ServerProcess[]) {
        const res = await fetch(`${s.url}/api/whatsapp/health`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
        expect(res.status).toBe(200);
        expect(await res.json()).toMatchObject({ status: 'ok', database: 'up' });
      }
      const db = new pg.Client({ connectionString: url });
      await db.connect();
      try {
        const { rows } = await db.query(`select name, count(*)::int as n from mikro_orm_migrations group by name order by name`);
        expect(rows).toEqual(migrationsList.map((m) => ({ name: m.name, n: 1 })).sort((a, b) => a.name.localeCompare(b.name)));
      } finally {
        await db.end();
      }
    } finally {
      for (const s of servers) await s.kill();
    }
  });
});
