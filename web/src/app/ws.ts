import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { CloseCode, createClient, type Client } from 'graphql-ws';
import type { ResolvedOptions } from './config';
import type { ConnectionMonitor } from './connection';
import type { TokenSource } from './session';

// A chunk of its own: mount.tsx imports it as the widget mounts, and apollo.ts's deferredLink waits for it.

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

/** The websocket client and the Apollo link over it. */
export function createWsLink(opts: ResolvedOptions, monitor: ConnectionMonitor, tokens: TokenSource): { client: Client; link: GraphQLWsLink } {
  const client = createWsClient(opts, monitor, tokens);
  return { client, link: new GraphQLWsLink(client) };
}
