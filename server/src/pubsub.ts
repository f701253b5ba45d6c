import { setMaxListeners } from 'node:events';
import { Repeater } from '@graphql-yoga/subscription';
import pg from 'pg';
import type { Logger } from 'pino';
import { AppError } from './errors.js';

/** Payloads are ids only (NOTIFY payloads are small); subscribers load what they send. */
export interface Topics {
  MESSAGE_ADDED: { id: string; contactId: string };
  MESSAGE_STATUS_CHANGED: { id: string; contactId: string };
  CONTACT_UPDATED: { id: string };
  /** Counts of a bulk send changed; delivered to subscribers at most every COALESCE_MS per bulk send. */
  BULK_SEND_PROGRESS: { id: string };
}

/** Progress of a 10,000-recipient campaign changes ~30,000 times; subscribers need a few frames a second. */
const COALESCE_MS = 250;
export type Topic = keyof Topics;
export interface Notification<T extends Topic = Topic> {
  topic: T;
  payload: Topics[T];
}

const unlimited = <T extends EventTarget>(target: T): T => {
  setMaxListeners(0, target);
  return target;
};

/** Events one subscriber may have waiting (the Repeater under it throws past 1,024, in the publisher). */
const MAX_WAITING_EVENTS = 500;

/**
 * A subscriber's queue of what it has not taken yet, fed through `offer` by `attach` (which returns
 * how to detach; `end` finishes the queue, with an error or not). One whose resolver is slower than
 * the events come (a costly selection under a burst) would fill it, so past MAX_WAITING_EVENTS it ends
 * with SUBSCRIBER_TOO_SLOW (it has missed events: the client resubscribes and refetches) and calls
 * `tooSlow`, instead of growing without bound or throwing an overflow into the publisher.
 */
export function subscriberQueue<T>(attach: (offer: (value: T) => void, end: (err?: unknown) => void) => () => void, tooSlow?: () => void): Repeater<T> {
  return new Repeater<T>((push, stop) => {
    let waiting = 0;
    let overflowed = false;
    const offer = (value: T) => {
      if (overflowed) return;
      if (waiting >= MAX_WAITING_EVENTS) {
        overflowed = true;
        tooSlow?.();
        stop(new AppError('SUBSCRIBER_TOO_SLOW', `more than ${MAX_WAITING_EVENTS} events waited for this subscription; it was ended: subscribe again and refetch`));
        return;
      }
      waiting++;
      push(value).then(() => waiting--, () => undefined);
    };
    const detach = attach(offer, (err) => stop(err));
    stop.then(detach);
  });
}

/** This process's subscribers, each with its own bounded queue (subscriberQueue). */
export class LocalEvents {
  // Every subscriber listens on one EventTarget; hundreds of them are normal, not a leak.
  private readonly target = unlimited(new EventTarget());
  private readonly subscribers = new Map<string, number>();

  constructor(private readonly log: Logger) {}

  /** Whether anyone in this process is subscribed to `topic`. */
  has(topic: string): boolean {
    return (this.subscribers.get(topic) ?? 0) > 0;
  }

  publish(topic: string, payload: unknown): void {
    this.target.dispatchEvent(new CustomEvent(topic, { detail: payload }));
  }

  subscribe(topic: string): AsyncIterable<unknown> {
    const { target, subscribers } = this;
    return subscriberQueue<unknown>(
      (offer) => {
        const listener = (event: Event) => offer((event as CustomEvent).detail);
        target.addEventListener(topic, listener);
        subscribers.set(topic, (subscribers.get(topic) ?? 0) + 1);
        return () => {
          target.removeEventListener(topic, listener);
          subscribers.set(topic, (subscribers.get(topic) ?? 1) - 1);
        };
      },
      () => this.log.warn({ topic, waiting: MAX_WAITING_EVENTS }, 'a subscriber falls behind the events; its subscription is ended'),
    );
  }
}

/** PostgreSQL channel carrying every event; each server process LISTENs on it. */
export const CHANNEL = 'inbox_events';

/** SQL (with $1 = JSON text) that queues a notification; sent by PostgreSQL only when the transaction commits. */
export const NOTIFY_SQL = `select pg_notify('${CHANNEL}', $1)`;

export const encodeNotification = (n: Notification): string => JSON.stringify(n);

/** NOTIFY payloads must stay under 8,000 bytes. */
const MAX_PAYLOAD_BYTES = 7_500;

/**
 * Many notifications as few NOTIFY payloads (JSON arrays, each under the size limit): a batch of
 * webhook events raises hundreds, and every payload costs PostgreSQL and each listener a message.
 */
export function packNotifications(notifications: Notification[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let size = 2;
  for (const n of notifications) {
    const text = encodeNotification(n);
    const bytes = Buffer.byteLength(text);
    if (part.length && size + bytes + 1 > MAX_PAYLOAD_BYTES) {
      out.push(`[${part.join(',')}]`);
      part = [];
      size = 2;
    }
    part.push(text);
    size += bytes + 1;
  }
  if (part.length) out.push(`[${part.join(',')}]`);
  return out;
}

/**
 * The type-graphql PubSub: `publish` goes through PostgreSQL NOTIFY, and every process (this one too)
 * receives events by LISTEN and hands them to its local subscribers, so two servers on one database
 * both deliver every event to their own clients.
 */
export class PgPubSub {
  // Every subscriber listens on one EventTarget; hundreds of them are normal, not a leak.
  private readonly local = new LocalEvents(this.log);
  private client?: pg.Client;
  private closed = false;
  private reconnectTimer?: NodeJS.Timeout;
  /** Resolves when the listener is connected (after a reconnect, again). */
  ready: Promise<void>;
  /**
   * Called when the listener is back after losing its connection: events committed in between were
   * not received, so live subscribers should start over (reconnect and refetch).
   */
  onResync?: () => void;
  /**
   * Starts reading what subscribers of a topic will need for an event as soon as it arrives (only when
   * this process has subscribers to it): a committed batch brings hundreds of events at once, and
   * their reads then go together (one query for all) instead of one after another per subscription.
   */
  prefetch: Partial<{ [T in Topic]: (payload: Topics[T]) => Promise<unknown> }> = {};

  constructor(
    private readonly databaseUrl: string,
    private readonly pool: pg.Pool,
    private readonly log: Logger,
  ) {
    this.ready = this.connect();
  }

  private async connect(): Promise<void> {
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
        const prefetch = this.prefetch[n.topic] as ((p: unknown) => Promise<unknown>) | undefined;
        if (prefetch && this.local.has(n.topic)) prefetch(n.payload).catch(() => undefined); // a subscriber gets the error
        this.local.publish(n.topic, n.payload);
      }
    } catch (err) {
      this.log.error({ err, text }, 'unreadable notification');
    }
  }

  /** Publishes now (outside any transaction). Inside a transaction use NOTIFY_SQL on its client instead. */
  publish<T extends Topic>(topic: T, payload: Topics[T]): void {
    this.pool.query(NOTIFY_SQL, [encodeNotification({ topic, payload })]).catch((err) => {
      this.log.error({ err, topic }, 'could not publish event');
    });
  }

  subscribe(topic: string): AsyncIterable<unknown> {
    return this.local.subscribe(topic);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const { timer } of this.coalescing.values()) clearTimeout(timer);
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
