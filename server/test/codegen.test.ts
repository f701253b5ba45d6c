import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '@graphql-codegen/cli';
import { expect, test } from 'vitest';
import config from '../../codegen.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

// The widget's types come from schema.graphql and the documents in web/src; a stale web/src/gql fails here.
test('web/src/gql matches what `npm run codegen` generates', async () => {
  const files: Array<{ filename: string; content: string }> = await generate({ ...config, cwd: root, silent: true }, false);
  expect(files.length).toBeGreaterThan(0);
  const onDisk = fs.readdirSync(path.join(root, 'web/src/gql')).sort();
  expect(files.map((f) => path.basename(f.filename)).sort()).toEqual(onDisk);
  for (const f of files) {
    const file = path.resolve(root, f.filename);
    expect(fs.readFileSync(file, 'utf8'), `${path.relative(root, file)} is stale: run npm run codegen`).toBe(f.content);
  }
}, 60_000);
