import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { ServerError } from '@apollo/client/errors';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition } from '@apollo/client/utilities';
import { CloseCode, createClient, type Client } from 'graphql-ws';
import { Observable, type Subscription } from 'rxjs';
import { createCache } from '../shared/cache';
import type { ResolvedOptions } from './config';
import type { ConnectionMonitor } from './connection';
import type { TokenSource } from './session';

/**
 * Websocket client that reconnects forever and reports its state; a missing pong within 5 s counts
 * as lost. Each connection signs in with the token source's current token; a close saying the
 * session is no longer valid (4401, 4403) has the source fetch a new one, and the first retry
 * after it goes at once, since it carries a token the server hasn't seen.
 */
export function createWsClient(opts: ResolvedOptions, monitor: ConnectionMonitor, tokens: TokenSource, webSocketImpl?: unknown): Client {
  let pongTimer: ReturnType<typeof setTimeout> | undefined;
  let socket: WebSocket | undefined;
  let sent: string | null = null;
  let refused = false;
  return createClient({
    url: opts.wsUrl,
    webSocketImpl,
    // Without a token the server refuses the connection (4403) and graphql-ws retries with its backoff.
    connectionParams: async () => {
      sent = await tokens.get().catch(() => null);
      return sent ? { authorization: `Bearer ${sent}` } : {};
    },
    lazy: false,
    keepAlive: 10_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: () => true,
    retryWait: async (retries) => {
      const now = refused && retries === 0;
      refused = false;
      if (!now) await new Promise((r) => setTimeout(r, Math.min(5_000, 500 * 2 ** retries) * (0.75 + Math.random() / 2)));
    },
    onNonLazyError: () => undefined,
    on: {
      connected: () => monitor.wsChanged(true),
      closed: (event) => {
        clearTimeout(pongTimer);
        monitor.wsChanged(false);
        const code = (event as { code?: number } | undefined)?.code;
        if ((code === CloseCode.Unauthorized || code === CloseCode.Forbidden) && sent) {
          refused = true;
          void tokens.refresh(sent).catch(() => undefined);
        }
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

/** Whether an HTTP answer says the credential is not (or no longer) valid. */
function refusedCredential(result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> } | undefined, error?: unknown): boolean {
  if (error !== undefined) return ServerError.is(error) && error.statusCode === 401;
  return !!result?.errors?.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

/**
 * Signs each HTTP operation with the current token. When the server refuses it (HTTP 401 or an
 * UNAUTHENTICATED error) the operation is sent once more with a fresh token, so an expired
 * session costs the agent nothing; with no fresher token the refusal goes through as it came.
 */
export function authLink(tokens: TokenSource): ApolloLink {
  return new ApolloLink(
    (operation, forward) =>
      new Observable((observer) => {
        let inner: Subscription | undefined;
        let closed = false;
        const attempt = (retried: boolean) =>
          tokens.get().then((token) => {
            if (closed) return;
            operation.setContext(({ headers }: { headers?: Record<string, string> }) => ({ headers: { ...headers, authorization: `Bearer ${token}` } }));
            let refusal: { result?: unknown; error?: unknown } | null = null;
            inner = forward(operation).subscribe({
              next: (result) => {
                if (!retried && refusedCredential(result)) refusal = { result };
                else observer.next(result);
              },
              error: (error) => {
                if (!retried && refusedCredential(undefined, error)) void retry(token, { error });
                else observer.error(error);
              },
              complete: () => {
                if (refusal) void retry(token, refusal);
                else observer.complete();
              },
            });
          }, (err: unknown) => observer.error(err));
        const retry = (token: string, refusal: { result?: unknown; error?: unknown }) =>
          tokens.refresh(token).then(
            (fresh) => {
              if (closed) return;
              if (fresh) return attempt(true);
              if ('error' in refusal) return observer.error(refusal.error);
              observer.next(refusal.result as never);
              observer.complete();
            },
            (err: unknown) => observer.error(err),
          );
        void attempt(false);
        return () => {
          closed = true;
          inner?.unsubscribe();
        };
      }),
  );
}

/** Split link (subscriptions over graphql-ws, the rest over HTTP with `authLink`) and a normalized cache. */
export function createApolloClient(opts: ResolvedOptions, monitor: ConnectionMonitor, ws: Client, tokens: TokenSource, fetchImpl: typeof fetch = (...a) => fetch(...a)): ApolloClient {
  const http = new HttpLink({
    uri: opts.httpUrl,
    fetch: async (input, init) => {
      try {
        const res = await fetchImpl(input, init);
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
    ApolloLink.from([authLink(tokens), http]),
  );
  return new ApolloClient({ link, cache: createCache() });
}
