import pg from 'pg';
import type { Logger } from 'pino';
import { LocalEvents } from './subscriber.queue.js';
import { CHANNEL, notify, type Notification, type NotifySink, type Topic, type Topics } from './topics.js';

/** A bulk send's progress moves several times per message; subscribers need a few frames a second. */
const COALESCE_MS = 250;

/**
 * The type-graphql PubSub: `publish` goes through PostgreSQL NOTIFY, and every process (this one too)
 * receives events by LISTEN and hands them to its local subscribers, so two servers on one database
 * both deliver every event to their own clients.
 */
export class PgPubSub {
  private readonly local = new LocalEvents(this.log);
  private client?: pg.Client;
  private closed = false;
  private reconnectTimer?: NodeJS.Timeout;
  /** Resolves when the listener is connected (after a reconnect, again). */
  ready: Promise<void>;
  /** Called when the listener reconnects: events committed meanwhile were missed, so subscribers should start over. */
  onResync?: () => void;
  /**
   * Starts reading what a topic's local subscribers will need as soon as an event arrives, so the
   * reads for a committed batch's events go together (one query) rather than one per subscription.
   */
  prefetch: Partial<{ [T in Topic]: (payload: Topics[T]) => Promise<unknown> }> = {};
  private readonly handlers = new Map<Topic, Set<(payload: never) => void>>();

  constructor(
    private readonly databaseUrl: string,
    private readonly pool: NotifySink,
    private readonly log: Logger,
  ) {
    this.ready = this.connect();
  }

  private async connect(): Promise<void> {
    // Its own connection, outside the pool: LISTEN holds a session for as long as the process runs.
    const client = new pg.Client({ connectionString: this.databaseUrl, connectionTimeoutMillis: 5000, keepAlive: true });
    const lost = (reason: string) => {
      if (this.client !== client) return;
      this.client = undefined;
      this.log.warn({ err: reason }, 'pubsub listener lost its connection; reconnecting');
      client.end().catch(() => undefined);
      this.scheduleReconnect();
    };
    client.on('notification', (msg) => this.dispatch(msg.payload));
    client.on('error', (err) => lost(err.message));
    client.on('end', () => lost('connection ended'));
    try {
      await client.connect();
      await client.query(`listen ${CHANNEL}`);
    } catch (err) {
      client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end();
      return;
    }
    this.client = client;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      this.ready = this.connect().then(
        () => {
          this.log.info('pubsub listener reconnected; live subscribers resync');
          this.onResync?.();
        },
        (err) => {
          this.log.warn({ err: (err as Error).message }, 'pubsub reconnect failed; retrying');
          this.scheduleReconnect();
        },
      );
    }, 500);
  }

  private readonly coalescing = new Map<string, { timer: NodeJS.Timeout; pending: boolean }>();

  /** Leading edge at once, then at most one trailing delivery per window. */
  private coalesce(n: Notification<'BULK_SEND_PROGRESS'>): void {
    const key = n.payload.id;
    const slot = this.coalescing.get(key);
    if (slot) {
      slot.pending = true;
      return;
    }
    this.local.publish(n.topic, n.payload);
    const entry = {
      pending: false,
      timer: setTimeout(() => {
        this.coalescing.delete(key);
        if (entry.pending) this.coalesce(n);
      }, COALESCE_MS),
    };
    this.coalescing.set(key, entry);
  }

  private dispatch(text: string | undefined): void {
    if (!text) return;
    try {
      const parsed = JSON.parse(text) as Notification | Notification[];
      for (const n of Array.isArray(parsed) ? parsed : [parsed]) {
        if (n.topic === 'BULK_SEND_PROGRESS') {
          this.coalesce(n as Notification<'BULK_SEND_PROGRESS'>);
          continue;
        }
        for (const handle of this.handlers.get(n.topic) ?? []) {
          try {
            handle(n.payload as never);
          } catch (err) {
            this.log.error({ err, topic: n.topic }, 'an event handler failed');
          }
        }
        const prefetch = this.prefetch[n.topic] as ((p: unknown) => Promise<unknown>) | undefined;
        if (prefetch && this.local.has(n.topic)) prefetch(n.payload).catch(() => undefined); // a subscriber gets the error
        this.local.publish(n.topic, n.payload);
      }
    } catch (err) {
      this.log.error({ err }, 'unreadable notification');
      this.log.debug({ text }, 'the unreadable notification'); // its payload may quote a message
    }
  }

  /** Publishes now (outside any transaction). Inside a transaction, `notify` on its connection. */
  publish<T extends Topic>(topic: T, payload: Topics[T]): void {
    notify(this.pool, topic, payload).catch((err) => {
      this.log.error({ err, topic }, 'could not publish event');
    });
  }

  /**
   * Calls `handle` with every event of `topic`, at once and in order (no subscriber queue): for state
   * this process keeps in memory from everyone's events, such as presence. Returns how to stop.
   */
  on<T extends Topic>(topic: T, handle: (payload: Topics[T]) => void): () => void {
    let set = this.handlers.get(topic);
    if (!set) this.handlers.set(topic, (set = new Set()));
    set.add(handle as (payload: never) => void);
    return () => void set.delete(handle as (payload: never) => void);
  }

  /** This process's events of `topic`, for type-graphql's subscriptions. */
  subscribe(topic: string): AsyncIterable<unknown> {
    return this.local.subscribe(topic);
  }

  /** Stops listening and drops pending coalesced deliveries. */
  async close(): Promise<void> {
    this.closed = true;
    for (const { timer } of this.coalescing.values()) clearTimeout(timer);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
