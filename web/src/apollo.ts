import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, type FieldPolicy, type Reference } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import type { ResolvedOptions } from './config';
import type { ConnectionMonitor } from './connection';

interface Edge { cursor: string; node: Reference }
interface Conn { edges: Edge[]; pageInfo: { hasNextPage: boolean; endCursor: string | null }; totalCount: number }

/**
 * Relay-style connection merged by node: a page with `after` appends older items, a page without
 * it (first load, poll, refetch after reconnect, live insert) adds what is new and keeps the older
 * pages already loaded. Order is applied where the list is rendered.
 */
export function connectionPolicy(keyArgs: string[]): FieldPolicy<Conn> {
  return {
    keyArgs,
    merge(existing, incoming, { args }) {
      if (!existing) return incoming;
      const seen = new Set<string>();
      const edges: Edge[] = [];
      const add = (e: Edge) => {
        if (seen.has(e.node.__ref)) return;
        seen.add(e.node.__ref);
        edges.push(e);
      };
      if (args?.after) {
        existing.edges.forEach(add);
        incoming.edges.forEach(add);
        return { ...incoming, edges };
      }
      incoming.edges.forEach(add);
      existing.edges.forEach(add);
      const keepOlder = edges.length > incoming.edges.length && existing.pageInfo;
      return { ...incoming, edges, pageInfo: keepOlder ? existing.pageInfo : incoming.pageInfo };
    },
  };
}

export function createCache() {
  return new InMemoryCache({
    typePolicies: {
      Query: {
        fields: {
          messages: connectionPolicy(['contactId', 'search']),
          contacts: connectionPolicy(['search', 'pinned', 'blocked', 'tag']),
          contact: { read: (existing, { args, toReference }) => existing ?? (args?.id ? toReference({ __typename: 'Contact', id: args.id }) : undefined) },
        },
      },
      Contact: { fields: { tags: { merge: false } } },
      // Stats has no id: keep the one object and replace its fields.
      Stats: { keyFields: [] },
    },
  });
}

/** Websocket client that reconnects forever and reports its state; a missing pong within 5 s counts as lost. */
export function createWsClient(opts: ResolvedOptions, monitor: ConnectionMonitor, webSocketImpl?: unknown): Client {
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let socket: WebSocket | undefined;
  return createClient({
    url: opts.wsUrl,
    webSocketImpl,
    connectionParams: () => ({ authorization: `Bearer ${opts.token}` }),
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => new Promise((r) => setTimeout(r, Math.min(5_000, 500 * 2 ** retries) * (0.75 + Math.random() / 2))),
    onNonLazyError: () => undefined,
    on: {
      connected: () => monitor.wsChanged(true),
      closed: () => {
        clearTimeout(pongTimer);
        monitor.wsChanged(false);
      },
      ping: (received) => {
        if (received) return;
        pongTimer = setTimeout(() => socket?.close(4408, 'Ping timeout'), 5_000);
      },
      pong: (received) => {
        if (received) clearTimeout(pongTimer);
      },
      opened: (s) => {
        socket = s as WebSocket;
      },
    },
  });
}

/** Split link (subscriptions over graphql-ws, the rest over HTTP) and a normalized cache. */
export function createApolloClient(opts: ResolvedOptions, monitor: ConnectionMonitor, ws: Client): ApolloClient {
  const http = new HttpLink({
    uri: opts.httpUrl,
    headers: { authorization: `Bearer ${opts.token}` },
    fetch: async (input, init) => {
      try {
        const res = await fetch(input, init);
        // A proxy's 502/503/504 means the API is unreachable, like a network error.
        monitor.httpChanged(res.status < 502 || res.status > 504);
        return res;
      } catch (err) {
        monitor.httpChanged(false);
        throw err;
      }
    },
  });
  const link = ApolloLink.split(
    ({ query }) => {
      const def = getMainDefinition(query);
      return def.kind === 'OperationDefinition' && def.operation === 'subscription';
    },
    new GraphQLWsLink(ws),
    http,
  );
  return new ApolloClient({ link, cache: createCache() });
}
