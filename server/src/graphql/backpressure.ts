import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Metrics } from '../metrics.js';

/** Sends a frame to a websocket client within the bound on what it may leave unread (`limitBufferedBytes`). */
export interface SendBound {
  /** `data` is a text frame, given as a string or as its UTF-8 bytes. */
  send(socket: WebSocket, data: string | Buffer, remote: string | undefined): void;
}

/** ws sends a Buffer as a binary frame unless told otherwise; graphql-ws speaks text. */
const TEXT = { binary: false } as const;

/**
 * Bounds what one websocket client may leave unread. The websocket loop (`ws.protocol.ts`) sends
 * each event as it comes (or pulls the next as soon as this send returns, which is at once), so the
 * backlog lands in the socket's buffer, where `bufferedAmount` measures it, rather than unmeasured in the subscription's queue. Past `maxBytes`
 * the connection is terminated (a peer that does not read would never see a close frame), counted
 * and logged; a socket that is not open (a dropped one among them) is sent nothing.
 */
export function limitBufferedBytes(opts: { maxBytes: number; metrics: Metrics; log: Logger }): SendBound {
  const { maxBytes, metrics, log } = opts;
  return {
    send(socket, data, remote) {
      if (socket.readyState !== socket.OPEN) return;
      // No write callback: it would cost a tick per frame, and a failed write closes the socket (ws destroys it).
      socket.send(data, TEXT);
      if (socket.bufferedAmount <= maxBytes) return;
      metrics.wsSlowClientsDropped.inc();
      log.warn({ remote, bufferedBytes: socket.bufferedAmount, maxBytes }, 'websocket client does not read; connection dropped');
      socket.terminate();
    },
  };
}

/**
 * The address a websocket connection counts against: an IPv4 address as is (also when IPv4-mapped),
 * an IPv6 address by its /64, the block one subscriber usually gets (one host can use any address in it).
 */
export function clientAddressKey(address: string | undefined): string {
  if (!address) return 'unknown';
  const bare = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(bare);
  if (mapped) return mapped[1]!;
  if (!bare.includes(':')) return bare;
  const [head = '', tail] = bare.split('::');
  const groups = (s: string) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  // An embedded IPv4 address at the end stands for two groups.
  const width = h.length + t.length + (t.at(-1)?.includes('.') || h.at(-1)?.includes('.') ? 1 : 0);
  const full = [...h, ...Array<string>(Math.max(0, 8 - width)).fill('0'), ...t];
  return `${full.slice(0, 4).map((g) => (parseInt(g, 16) || 0).toString(16)).join(':')}::/64`;
}

type VerifyClient = (info: { req: IncomingMessage }, done: (ok: boolean, code?: number, message?: string, headers?: OutgoingHttpHeaders) => void) => void;

/**
 * Caps open websocket connections, in all and per client address (`clientAddressKey`). One over a cap
 * is refused before the upgrade: 503 at the total, 429 at an address's share, both with Retry-After,
 * counted in `inbox_websocket_connections_refused_total{reason}` and logged at most once a minute.
 * Give `verifyClient` to the WebSocketServer and call `count` on it: a connection is counted (also in
 * the open-connections gauge) from its upgrade to its close. Behind a reverse proxy every client has the proxy's address.
 */
export function connectionCaps(opts: { maxConnections: number; maxPerAddress: number; metrics: Metrics; log: Logger }) {
  const { maxConnections, maxPerAddress, metrics, log } = opts;
  const perAddress = new Map<string, number>();
  let total = 0;
  let refusedSinceLog = 0;
  let loggedAt = 0;

  const refuse = (done: Parameters<VerifyClient>[1], reason: 'total' | 'per_ip', status: number, message: string, remote: string | undefined) => {
    metrics.wsConnectionsRefused.inc({ reason });
    refusedSinceLog += 1;
    if (Date.now() - loggedAt > 60_000) {
      log.warn({ reason, remote, refused: refusedSinceLog, total, maxConnections, maxPerAddress }, 'websocket connections refused at their cap');
      loggedAt = Date.now();
      refusedSinceLog = 0;
    }
    done(false, status, message, { 'retry-after': '10', 'content-type': 'text/plain; charset=utf-8' });
  };

  // The upgrade runs synchronously from this answer to the 'connection' event, so no other upgrade can
  // pass the check before this one is counted.
  const verifyClient: VerifyClient = ({ req }, done) => {
    const remote = req.socket.remoteAddress;
    if (total >= maxConnections) return refuse(done, 'total', 503, `the server has ${maxConnections} websocket connections open, its limit (WS_MAX_CONNECTIONS); try again later`, remote);
    if ((perAddress.get(clientAddressKey(remote)) ?? 0) >= maxPerAddress) {
      return refuse(done, 'per_ip', 429, `${maxPerAddress} websocket connections from this address are open, the limit (WS_MAX_CONNECTIONS_PER_IP); close one or try again later`, remote);
    }
    done(true);
  };

  const count = (wss: WebSocketServer) => {
    wss.on('connection', (socket, req) => {
      const key = clientAddressKey(req.socket.remoteAddress);
      total += 1;
      metrics.wsClients.inc();
      perAddress.set(key, (perAddress.get(key) ?? 0) + 1);
      // The count and the gauge in one listener; on(), since 'close' comes once and once() wraps each socket's.
      socket.on('close', () => {
        total -= 1;
        metrics.wsClients.dec();
        const n = (perAddress.get(key) ?? 1) - 1;
        if (n > 0) perAddress.set(key, n);
        else perAddress.delete(key);
      });
    });
  };
  return { verifyClient, count };
}
