import { ApolloClient, ApolloLink, HttpLink } from '@apollo/client';
import { ServerError } from '@apollo/client/errors';
import { getMainDefinition } from '@apollo/client/utilities';
import { Observable, type Subscription } from 'rxjs';
import { createCache } from '../shared/cache';
import type { ResolvedOptions } from './config';
import type { ConnectionMonitor } from './connection';
import type { TokenSource } from './session';

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

/**
 * The websocket's link, loaded after the first paint: its code (graphql-ws) is not needed to show the
 * list. Loading starts at once, beside the first queries; subscriptions wait for it. A failed load
 * counts as the websocket down (queries poll meanwhile) and is tried again by the next subscription.
 */
export function deferredLink(load: () => Promise<ApolloLink>, monitor: ConnectionMonitor): ApolloLink {
  let loading: Promise<ApolloLink> | null = null;
  const get = () =>
    (loading ??= load().catch((err: unknown) => {
      loading = null;
      monitor.wsChanged(false);
      throw err;
    }));
  void get().catch(() => undefined);
  return new ApolloLink(
    (operation, forward) =>
      new Observable((observer) => {
        let inner: Subscription | undefined;
        let closed = false;
        get().then(
          (link) => {
            if (!closed) inner = link.request(operation, forward).subscribe(observer);
          },
          (err: unknown) => observer.error(err),
        );
        return () => {
          closed = true;
          inner?.unsubscribe();
        };
      }),
  );
}

/** Split link (subscriptions over the websocket's link, the rest over HTTP with `authLink`) and a normalized cache. */
export function createApolloClient(opts: ResolvedOptions, monitor: ConnectionMonitor, ws: ApolloLink, tokens: TokenSource, fetchImpl: typeof fetch = (...a) => fetch(...a)): ApolloClient {
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
    ws,
    ApolloLink.from([authLink(tokens), http]),
  );
  return new ApolloClient({ link, cache: createCache() });
}
