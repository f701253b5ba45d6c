import { CloseCode, GRAPHQL_TRANSPORT_WS_PROTOCOL, handleProtocols } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import { Connection, type WsHooks } from './ws.protocol.js';

/** A failing message handler or socket closes the socket with 4500 and this reason (the cause is logged). */
const INTERNAL = 'Internal server error';

/**
 * graphql-transport-ws (graphql-ws's protocol, `ws.protocol.ts`) on a `ws` server. Liveness is one
 * sweep every `keepAliveMs` over all sockets (a socket that did not answer the previous sweep's ping
 * is terminated) instead of a timer per socket; listeners are shared functions where they need no
 * state of their own.
 */
export function serveGraphqlWs<P>(wss: WebSocketServer, hooks: WsHooks<P>, opts: { keepAliveMs: number; initTimeoutMs: number; failed: (err: unknown) => void }): { dispose(): Promise<void> } {
  const { keepAliveMs, initTimeoutMs, failed } = opts;
  wss.options.handleProtocols = handleProtocols;
  const unanswered = new Set<WebSocket>();
  function answered(this: WebSocket): void {
    unanswered.delete(this);
  }
  function broken(this: WebSocket, err: Error): void {
    failed(err);
    this.close(CloseCode.InternalServerError, INTERNAL);
  }
  wss.on('connection', (socket, request) => {
    socket.on('error', broken);
    socket.on('pong', answered);
    if (socket.protocol !== GRAPHQL_TRANSPORT_WS_PROTOCOL) {
      socket.close(CloseCode.SubprotocolNotAcceptable, 'Subprotocol not acceptable');
      return;
    }
    const conn = new Connection(socket, request.socket.remoteAddress, hooks, initTimeoutMs);
    socket.on('message', (data: Buffer) => {
      conn.receive(String(data)).catch((err: unknown) => {
        failed(err);
        socket.close(CloseCode.InternalServerError, INTERNAL);
      });
    });
    socket.on('close', () => {
      unanswered.delete(socket);
      conn.closed().catch(failed);
    });
  });
  const sweep = setInterval(() => {
    for (const socket of wss.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (unanswered.has(socket)) {
        socket.terminate();
        continue;
      }
      unanswered.add(socket);
      socket.ping();
    }
  }, keepAliveMs);
  sweep.unref();
  return {
    dispose: async () => {
      clearInterval(sweep);
      for (const client of wss.clients) client.close(1001, 'Going away');
      wss.removeAllListeners();
      await new Promise<void>((resolve, reject) => wss.close((err) => (err ? reject(err) : resolve())));
    },
  };
}
