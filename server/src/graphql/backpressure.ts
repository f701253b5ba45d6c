import type { Logger } from 'pino';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Metrics } from '../metrics.js';

type SendCallback = (err?: Error) => void;

/**
 * Bounds what one websocket client may leave unread. graphql-ws waits for each frame's write callback
 * before it pulls the next event, so every send is acknowledged at once and the backlog lands in the
 * socket's buffer, where `bufferedAmount` measures it, rather than unmeasured in the subscription's
 * queue. Past `maxBytes` the connection is terminated (a peer that does not read would never see a
 * close frame), counted and logged.
 */
export function limitBufferedBytes(wss: WebSocketServer, opts: { maxBytes: number; metrics: Metrics; log: Logger }): void {
  const { maxBytes, metrics, log } = opts;
  wss.on('connection', (socket, request) => {
    const send = socket.send.bind(socket) as (data: unknown, options: object, cb?: SendCallback) => void;
    let dropped = false;
    const patched = (data: unknown, optionsOrCb?: object | SendCallback, maybeCb?: SendCallback): void => {
      const cb = typeof optionsOrCb === 'function' ? optionsOrCb : maybeCb;
      const options = typeof optionsOrCb === 'object' ? optionsOrCb : {};
      if (dropped) {
        if (cb) process.nextTick(cb);
        return;
      }
      send(data, options, (err) => {
        if (err) log.debug({ err: err.message }, 'websocket send failed');
      });
      if (socket.bufferedAmount > maxBytes) drop(socket, request.socket.remoteAddress);
      if (cb) process.nextTick(cb); // the byte limit, not the write callback, holds the client back
    };
    socket.send = patched as WebSocket['send'];

    function drop(s: WebSocket, remote: string | undefined): void {
      dropped = true;
      metrics.wsSlowClientsDropped.inc();
      log.warn({ remote, bufferedBytes: s.bufferedAmount, maxBytes }, 'websocket client does not read; connection dropped');
      s.terminate();
    }
  });
}
