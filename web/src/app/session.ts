/**
 * Where the widget's bearer token comes from: a fixed one (an API key), or short-lived agent
 * sessions that the host dashboard hands out and the widget renews before they end.
 */
export interface TokenSource {
  /** The token to send now: the current one while it is good, else a fresh one. */
  get(): Promise<string>;
  /**
   * The server refused `rejected`. Resolves to the token to try again with (a newer one), or null
   * when there is none other (a fixed token, or the host answered the same one again).
   */
  refresh(rejected: string): Promise<string | null>;
  /** The current token ('' before the first), for what reads it synchronously (media links). */
  current(): string;
  /** Called whenever the token changes. */
  subscribe(listener: () => void): () => void;
  /** Stops renewing. */
  dispose(): void;
}

/** A token that never changes: nothing to renew, nothing to retry with. */
export function staticToken(token: string): TokenSource {
  return {
    get: async () => token,
    refresh: async () => null,
    current: () => token,
    subscribe: () => () => undefined,
    dispose: () => undefined,
  };
}

/** The claims the widget reads from a JWT, unverified: only the server can verify them. */
function claims(token: string): { exp?: unknown; iat?: unknown } | null {
  const part = token.split('.')[1];
  if (!part) return null;
  try {
    return JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown; iat?: unknown };
  } catch {
    return null;
  }
}

/**
 * How long a token received at `now` has left, in ms, or null when it doesn't say (not a JWT, no
 * `exp`). A page clock far off the server's shows as a token already expired, or living longer than
 * it was issued for; then its own lifetime (`exp - iat`) is the better guess. One second goes off
 * for the claims' whole-second rounding.
 */
export function tokenLifetime(token: string, now: number): number | null {
  const c = claims(token);
  if (!c || typeof c.exp !== 'number') return null;
  const left = c.exp * 1000 - now;
  const full = typeof c.iat === 'number' && c.exp > c.iat ? (c.exp - c.iat) * 1000 : null;
  const life = full != null && (left <= 0 || left > full) ? full : left;
  return Math.max(0, life - 1000);
}

/**
 * When to renew a token with `life` ms left: at 80 % of it, or 60 s before its end if that is earlier,
 * but not before half of it, or a one-minute session would be renewed in a loop.
 */
export function renewalDelay(life: number): number {
  return Math.max(life / 2, Math.min(life * 0.8, life - 60_000));
}

const RETRY_MAX_MS = 30_000;

/**
 * Tokens from `getToken` (the host's session endpoint): fetched at the first `get()`, renewed on a
 * timer before they expire, and at once when the server refuses one. Concurrent callers share one
 * fetch. A failed renewal is tried again (2 s, 4 s, … up to 30 s) while the old token lasts and
 * after; callers get the error only when no usable token is left.
 */
export function renewingToken(getToken: () => Promise<string>, clock: { now(): number } = Date): TokenSource {
  let token = '';
  let expiresAt = Number.POSITIVE_INFINITY;
  let refused = false;
  let pending: Promise<string> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;
  let disposed = false;
  const listeners = new Set<() => void>();

  const schedule = (ms: number) => {
    clearTimeout(timer);
    if (!disposed) timer = setTimeout(() => void fetchNew().catch(() => undefined), Math.min(ms, 2 ** 31 - 1));
  };

  const accept = (fresh: string) => {
    const now = clock.now();
    const life = tokenLifetime(fresh, now);
    const changed = fresh !== token;
    token = fresh;
    refused = false;
    failures = 0;
    expiresAt = life == null ? Number.POSITIVE_INFINITY : now + life;
    clearTimeout(timer);
    // At least a second apart, should a host hand out tokens that are already spent.
    if (life != null) schedule(Math.max(1000, renewalDelay(life)));
    if (changed) for (const l of listeners) l();
  };

  const fetchNew = (): Promise<string> => {
    pending ??= Promise.resolve()
      .then(getToken)
      .then((fresh) => {
        if (typeof fresh !== 'string' || !fresh) throw new Error('The session endpoint answered no token');
        accept(fresh);
        return fresh;
      })
      .catch((err: unknown) => {
        failures += 1;
        schedule(Math.min(RETRY_MAX_MS, 1000 * 2 ** failures));
        throw err instanceof Error ? err : new Error(String(err));
      })
      .finally(() => {
        pending = null;
      });
    return pending;
  };

  const usable = () => !!token && !refused && clock.now() < expiresAt;

  return {
    get: () => (usable() ? Promise.resolve(token) : fetchNew()),
    async refresh(rejected) {
      if (rejected !== token && usable()) return token;
      if (rejected === token) refused = true;
      const fresh = await fetchNew();
      return fresh === rejected ? null : fresh;
    },
    current: () => token,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    dispose() {
      disposed = true;
      clearTimeout(timer);
    },
  };
}

/**
 * `getToken` for `data-session-url`: the host dashboard's backend, asked with the page's cookies,
 * answers `{ "token": "…" }` for its signed-in user.
 */
export function fetchSession(url: string): () => Promise<string> {
  return async () => {
    const res = await fetch(url, { credentials: 'include', cache: 'no-store', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`Could not get a session from the dashboard (HTTP ${res.status})`);
    const body = (await res.json().catch(() => null)) as { token?: unknown } | null;
    if (typeof body?.token !== 'string' || !body.token) throw new Error('The dashboard’s session endpoint answered no token');
    return body.token;
  };
}
