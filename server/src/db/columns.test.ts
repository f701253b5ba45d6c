import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../test/harness.js';
import { entityMeta, readColumns } from './columns.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

const tableColumns = async (table: string) =>
  (await t.db.query(`select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1`, [table])).rows.map((r) => r.column_name as string).sort();

it('reads list every column of a table, from its entity, but the search words', async () => {
  expect(readColumns(entityMeta('Message')).sort()).toEqual((await tableColumns('message')).filter((c) => c !== 'search_vector'));
  expect(readColumns(entityMeta('Contact')).sort()).toEqual((await tableColumns('contact')).filter((c) => c !== 'search_text'));
  expect(readColumns(entityMeta('BulkSend')).sort()).toEqual(await tableColumns('bulk_send'));
});
