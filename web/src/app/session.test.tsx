// @vitest-environment happy-dom
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { ApolloProvider, useQuery } from '@apollo/client/react';
import { cleanup, render, screen } from '@testing-library/react';
import { createClient } from 'graphql-ws';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { createApolloClient } from './apollo';
import { resolveOptions } from './config';
import { ConnectionMonitor } from './connection';
import { MeQuery } from './Permissions';
import { renewalDelay, renewingToken, staticToken, tokenLifetime, type TokenSource } from './session';

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

const b64url = (o: object) => btoa(JSON.stringify(o)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

/** A session token as the server signs it (the widget reads its claims without verifying them). */
function session(name: string, ttlSeconds: number, issuedAt = Math.floor(Date.now() / 1000)): string {
  return `${b64url({ alg: 'HS256' })}.${b64url({ sub: name, iat: issuedAt, exp: issuedAt + ttlSeconds })}.signature`;
}

/** The host dashboard's session endpoint: a new token each call, each living `ttlSeconds`. */
function dashboard(ttlSeconds: number) {
  const issued: string[] = [];
  const getToken = async () => {
    const t = session(`agent-${issued.length + 1}`, ttlSeconds);
    issued.push(t);
    return t;
  };
  return { issued, getToken };
}

describe('session lifetime', () => {
  test('renewed at 80 % of a long session, 60 s before the end of a shorter one, at half of a one-minute one', () => {
    expect(renewalDelay(3_600_000)).toBe(2_880_000);
    expect(renewalDelay(240_000)).toBe(180_000);
    expect(renewalDelay(60_000)).toBe(30_000);
  });

  test('what a token has left comes from its exp; with the page clock far off, from its iat', () => {
    const now = Date.parse('2026-03-01T09:00:00Z');
    const at = now / 1000;
    expect(tokenLifetime(session('fresh', 3600, at), now)).toBe(3_599_000);
    // A dashboard that hands out the session it already had: half of it is gone.
    expect(tokenLifetime(session('cached', 3600, at - 1800), now)).toBe(1_799_000);
    // The page's clock an hour behind, or a day ahead, of the server that issued a fresh token.
    expect(tokenLifetime(session('behind', 3600, at + 3600), now)).toBe(3_599_000);
    expect(tokenLifetime(session('ahead', 3600, at - 86_400), now)).toBe(3_599_000);
    expect(tokenLifetime('wai_0123456789abcdef', now)).toBeNull();
    expect(tokenLifetime('not.a-jwt.at-all', now)).toBeNull();
  });
});

describe('renewing token source', () => {
  beforeEach(() => vi.useFakeTimers({ now: Date.parse('2026-03-01T09:00:00Z') }));

  test('fetches once at start, shares the fetch, and renews before the session expires', async () => {
    const host = dashboard(3600);
    const tokens = renewingToken(host.getToken);
    const [a, b] = await Promise.all([tokens.get(), tokens.get()]);
    expect(a).toBe(b);
    expect(host.issued).toEqual([a]);
    const changed = vi.fn();
    tokens.subscribe(changed);

    await vi.advanceTimersByTimeAsync(2_870_000); // 47 min 50 s: still the first session
    expect(await tokens.get()).toBe(a);
    expect(host.issued).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(20_000); // past 48 min = 80 % of the hour
    expect(host.issued).toHaveLength(2);
    expect(await tokens.get()).toBe(host.issued[1]);
    expect(tokens.current()).toBe(host.issued[1]);
    expect(changed).toHaveBeenCalledTimes(1);

    // And again 80 % into the second session, long before the first one's end would matter.
    await vi.advanceTimersByTimeAsync(2_880_000);
    expect(host.issued).toHaveLength(3);
    tokens.dispose();
  });

  test('a failed renewal keeps the session it has and tries again', async () => {
    let down = false;
    const host = dashboard(600);
    const tokens = renewingToken(() => (down ? Promise.reject(new Error('Could not get a session from the dashboard (HTTP 502)')) : host.getToken()));
    const first = await tokens.get();
    down = true;
    await vi.advanceTimersByTimeAsync(480_000); // 80 %: the renewal fails
    expect(await tokens.get()).toBe(first);
    down = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(host.issued).toHaveLength(2);
    expect(await tokens.get()).toBe(host.issued[1]);
    tokens.dispose();
  });

  test('after the page slept past the end of its session, the next request waits for a new one', async () => {
    const host = dashboard(600);
    const tokens = renewingToken(host.getToken);
    await tokens.get();
    tokens.dispose(); // no timers: as if the tab was frozen
    vi.setSystemTime(Date.now() + 700_000);
    expect(await tokens.get()).toBe(host.issued[1]);
  });

  test('a refused token is replaced once, however many requests it failed', async () => {
    const host = dashboard(3600);
    const tokens = renewingToken(host.getToken);
    const old = await tokens.get();
    const [x, y] = await Promise.all([tokens.refresh(old), tokens.refresh(old)]);
    expect(x).toBe(host.issued[1]);
    expect(y).toBe(host.issued[1]);
    expect(await tokens.refresh(old)).toBe(host.issued[1]); // already replaced: no new fetch
    expect(host.issued).toHaveLength(2);
    tokens.dispose();
  });
});

function Caller() {
  const { data, error } = useQuery(MeQuery);
  if (error) return <p role="alert">{error.message}</p>;
  return <p>{data ? `Signed in as ${data.me.name}` : 'Loading'}</p>;
}

/**
 * The API as the widget sees it over HTTP: answers `me` for the tokens it accepts, 401
 * UNAUTHENTICATED (in the media type the server picks) for the rest.
 */
function api(accepted: (token: string) => boolean, contentType = 'application/graphql-response+json') {
  const seen: string[] = [];
  const fetchImpl = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    const auth = new Headers(init?.headers).get('authorization') ?? '';
    const token = auth.replace(/^Bearer /, '');
    seen.push(token);
    const ok = accepted(token);
    const body = ok
      ? { data: { me: { __typename: 'Me', kind: 'AGENT', name: 'Ada', role: 'AGENT', scopes: ['READ', 'SEND'], agent: { __typename: 'Agent', id: '7' } } } }
      : { errors: [{ message: 'the session expired: ask the dashboard for a new one', extensions: { code: 'UNAUTHENTICATED' } }] };
    return new Response(JSON.stringify(body), { status: ok ? 200 : 401, headers: { 'content-type': contentType } });
  }) as typeof fetch;
  return { seen, fetchImpl };
}

function renderWith(tokens: TokenSource, fetchImpl: typeof fetch) {
  const opts = resolveOptions({ endpoint: 'https://inbox.example/graphql' });
  // Lazy: never connects, since only HTTP is under test.
  const ws = new GraphQLWsLink(createClient({ url: opts.wsUrl, lazy: true }));
  const client = createApolloClient(opts, new ConnectionMonitor(), ws, tokens, fetchImpl);
  render(
    <ApolloProvider client={client}>
      <Caller />
    </ApolloProvider>,
  );
}

describe('HTTP requests with a session', () => {
  test.each(['application/graphql-response+json', 'application/json'])('a 401 (%s) gets a fresh session and the request is sent again', async (contentType) => {
    const host = dashboard(3600);
    const tokens = renewingToken(host.getToken);
    const revoked = await tokens.get(); // e.g. signed with a secret the server rotated out
    const { seen, fetchImpl } = api((t) => t !== revoked, contentType);
    renderWith(tokens, fetchImpl);
    expect(await screen.findByText('Signed in as Ada')).toBeTruthy();
    expect(seen).toEqual([revoked, host.issued[1]]);
    tokens.dispose();
  });

  test('a second refusal is shown, not retried in a loop', async () => {
    const host = dashboard(3600);
    const tokens = renewingToken(host.getToken);
    const { seen, fetchImpl } = api(() => false);
    renderWith(tokens, fetchImpl);
    expect((await screen.findByRole('alert')).textContent).toContain('the session expired');
    expect(seen).toEqual(host.issued);
    expect(seen).toHaveLength(2);
    tokens.dispose();
  });

  test('a fixed token that is refused is reported at once (nothing newer to try)', async () => {
    const { seen, fetchImpl } = api(() => false);
    renderWith(staticToken('wai_revoked'), fetchImpl);
    expect((await screen.findByRole('alert')).textContent).toContain('the session expired');
    expect(seen).toEqual(['wai_revoked']);
  });

  test('when the dashboard cannot give a session, the widget says so', async () => {
    const tokens = renewingToken(() => Promise.reject(new Error('Could not get a session from the dashboard (HTTP 401)')));
    const { seen, fetchImpl } = api(() => true);
    renderWith(tokens, fetchImpl);
    expect((await screen.findByRole('alert')).textContent).toContain('Could not get a session from the dashboard (HTTP 401)');
    expect(seen).toEqual([]);
    tokens.dispose();
  });
});
