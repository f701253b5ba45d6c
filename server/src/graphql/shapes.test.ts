import 'reflect-metadata';
import v8 from 'node:v8';
import { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ormOptions } from '../db/orm.js';
import { entities } from '../entities.js';
import { Message } from '../messages/message.entity.js';
import { readColumns } from '../db/columns.js';
import { toPage } from './connection.js';
import { rowView } from '../db/row.view.js';

// What list pages are made of must not cost the garbage collector: objects in hash-table mode, or
// each with a hidden class of its own, made young collections under search traffic take 7–12 ms
// instead of 1–2 (graphql/connection.ts, row.view.ts). V8's own checks say which shape they have.
v8.setFlagsFromString('--allow-natives-syntax');
const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const messageRow = (id: number) => Object.fromEntries(readColumns(orm.getMetadata().get('Message')).map((c) => [c, c === 'id' ? String(id) : c === 'contact_id' ? '7' : null]));

let orm: MikroORM;
beforeAll(async () => {
  orm = await MikroORM.init({ ...ormOptions('postgresql://nobody@127.0.0.1:1/none', entities), connect: false });
});
afterAll(() => orm?.close());

describe('shapes of what list pages are made of', () => {
  it('pages share one hidden class, whatever their count', () => {
    const a = toPage([1, 2, 3], 2, String, (n) => [n], async () => 3);
    const b = toPage([4], 2, String, (n) => [n], async () => 100, true);
    expect(Object.getOwnPropertyDescriptor(a, 'totalCount')).toBeUndefined();
    expect(hasFastProperties(a)).toBe(true);
    expect(haveSameMap(a, b)).toBe(true);
  });

  it('message views, with all their columns, are plain objects of one hidden class', () => {
    const em = orm.em.fork();
    const a = rowView(em, Message, messageRow(1));
    const b = rowView(em, Message, messageRow(2));
    expect(Object.keys(a).length).toBeGreaterThan(30);
    expect(hasFastProperties(a)).toBe(true);
    expect(haveSameMap(a, b)).toBe(true);
    expect(a).toBeInstanceOf(Message);
    expect(a.contact.id).toBe('7');
  });
});
