import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestEnv, type TestEnv } from '../../test/harness.js';
import { MESSAGE_READ_COLUMNS } from './message.columns.js';

let t: TestEnv;
beforeAll(async () => {
  t = await startTestEnv();
});
afterAll(() => t?.close());

it('message reads list every column of the table but search_vector (a new column must be added to MESSAGE_READ_COLUMNS)', async () => {
  const { rows } = await t.db.query(`select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'message' order by ordinal_position`);
  const table = rows.map((r) => r.column_name as string);
  expect([...MESSAGE_READ_COLUMNS].sort()).toEqual(table.filter((c) => c !== 'search_vector').sort());
});
