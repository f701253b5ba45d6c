import { ApolloClient, ApolloLink, InMemoryCache } from '@apollo/client';
import { parse } from 'graphql';
import { Observable } from 'rxjs';
import { expect, test } from 'vitest';
import { deferredLink } from './apollo';
import { ConnectionMonitor } from './connection';

const Live = parse('subscription Live { live }');

test('the websocket link loads once, at once; a failed load shows the socket down, fails the waiting subscription, and is tried again', async () => {
  const monitor = new ConnectionMonitor();
  let loads = 0;
  let fail = true;
  const socketLink = new ApolloLink(() => new Observable((o) => o.next({ data: { live: 'hello' } })));
  const load = async () => {
    loads++;
    if (fail) throw new Error('chunk failed to load');
    return socketLink;
  };
  const client = new ApolloClient({ link: deferredLink(load, monitor), cache: new InMemoryCache() });
  expect(loads).toBe(1); // asked for before any subscription
  const first = await new Promise((resolve) => client.subscribe({ query: Live }).subscribe({ next: resolve, error: resolve }));
  expect(String((first as { error?: unknown }).error ?? first)).toContain('chunk failed to load');
  expect(monitor.getState()).toBe('polling');

  fail = false;
  const values: unknown[] = [];
  await new Promise<void>((resolve) =>
    client.subscribe({ query: Live }).subscribe((r) => {
      values.push(r.data);
      resolve();
    }),
  );
  expect(values).toEqual([{ live: 'hello' }]);
  const other = parse('subscription Other { live }');
  await new Promise<void>((resolve) => client.subscribe({ query: other }).subscribe(() => resolve()));
  expect(loads).toBe(2); // loaded again after the failure, then kept
});
