import type { ConnectionSource, ConnectionState } from '../shared/useConnection';

type Listener = () => void;

/** Tracks the websocket and HTTP answers; the hooks in shared/useConnection read it through ConnectionContext. */
export class ConnectionMonitor implements ConnectionSource {
  private ws: 'unknown' | 'up' | 'down' = 'unknown';
  private http: 'unknown' | 'up' | 'down' = 'unknown';
  private listeners = new Set<Listener>();
  private reconnectListeners = new Set<Listener>();
  state: ConnectionState = 'connecting';

  /** Websocket acknowledged (`connected`) or lost (`closed`). */
  wsChanged(up: boolean): void {
    const reconnected = up && this.ws === 'down';
    this.ws = up ? 'up' : 'down';
    if (up) this.http = 'up';
    this.update();
    if (reconnected) for (const l of this.reconnectListeners) l();
  }

  /** An HTTP request answered (any GraphQL answer) or failed at the network level. */
  httpChanged(up: boolean): void {
    if (this.http === (up ? 'up' : 'down')) return;
    this.http = up ? 'up' : 'down';
    this.update();
  }

  /** Called when the websocket comes back after being down: refetch what was missed. */
  onReconnect(l: Listener): () => void {
    this.reconnectListeners.add(l);
    return () => this.reconnectListeners.delete(l);
  }

  subscribe = (l: Listener): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getState = (): ConnectionState => this.state;

  private update(): void {
    const next: ConnectionState =
      this.ws === 'up' ? 'live' : this.http === 'down' ? 'offline' : this.ws === 'down' ? 'polling' : 'connecting';
    if (next === this.state) return;
    this.state = next;
    for (const l of this.listeners) l();
  }
}
