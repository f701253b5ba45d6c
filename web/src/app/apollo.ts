import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { createClient, type Client } from 'graphql-ws';
import { createCache } from '../shared/cache';
import type { ResolvedOptions } from './config';
import type { ConnectionMonitor } from './connection';

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
