import { CloseCode, handleProtocols, type Server, type WebSocket as ProtocolSocket } from 'graphql-ws';
import type { WebSocket, WebSocketServer } from 'ws';
import type { SendBound } from './backpressure.js';

/** What graphql-ws keeps of a connection: its socket, never the upgrade request (it would live as long as the socket). */
export interface WsExtra {
  readonly socket: WebSocket;
}

/** A protocol error or a failing hook closes the socket with 4500 and this reason (the cause is logged). */
const INTERNAL = 'Internal server error';

/**
 * One connection as graphql-ws's server sees it. Methods on a prototype rather than closures per
 * socket, and `send` returns nothing: the byte limit (`SendBound`), not the write callback, holds a
 * client back, so no promise per frame.
 */
class Connection implements ProtocolSocket {
  constructor(
    private readonly socket: WebSocket,
    private readonly remote: string | undefined,
    private readonly bound: SendBound,
    private readonly failed: (err: unknown) => void,
  ) {}

  get protocol(): string {
    return this.socket.protocol;
  }

  send(data: string): void {
    this.bound.send(this.socket, data, this.remote);
  }

  close(code?: number, reason?: string): void {
    this.socket.close(code, reason);
  }

  onMessage(cb: (data: string) => Promise<void>): void {
    // No async wrapper: it would stay suspended as long as each subscription runs.
    this.socket.on('message', (data: Buffer) => {
      cb(String(data)).catch((err: unknown) => {
        this.failed(err);
        this.socket.close(CloseCode.InternalServerError, INTERNAL);
      });
    });
  }
}

/**
 * graphql-ws's server on a `ws` server: what `graphql-ws/use/ws` does, minus what a thousand idle
 * sockets would each hold. Liveness is one sweep every `keepAliveMs` over all sockets (a socket that
 * did not answer the previous sweep's ping is terminated) instead of a timer per socket; listeners are
 * shared functions where they need no state of their own.
 */
export function serveGraphqlWs<E extends WsExtra>(server: Server<E>, wss: WebSocketServer, opts: { bound: SendBound; keepAliveMs: number; failed: (err: unknown) => void }): { dispose(): Promise<void> } {
  const { bound, keepAliveMs, failed } = opts;
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
    const closed = server.opened(new Connection(socket, request.socket.remoteAddress, bound, failed), { socket } as E);
    socket.on('close', (code: number, reason: Buffer) => {
      unanswered.delete(socket);
      closed(code, String(reason)).catch(failed);
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
