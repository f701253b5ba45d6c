import { setMaxListeners } from 'node:events';
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

/** Events one subscriber may have waiting (taken from the queue and not yet followed by another pull, or queued). */
const MAX_WAITING_EVENTS = 500;

type Taker<T> = { resolve: (r: IteratorResult<T, undefined>) => void; reject: (err: unknown) => void };

/**
 * A subscriber's queue of what it has not taken yet (subscriberQueue). It was a Repeater
 * (@repeaterjs/repeater, under @graphql-yoga/subscription), whose `push` makes its answer with
 * `Object.create(promise)`: every event made a fresh promise the prototype of another object, and V8
 * then kept each through young-generation collections. Fanning one event out to 200 subscribers left
 * 161 KB in the old generation, 145 KB of it from those pushes.
 */
class SubscriberQueue<T> implements AsyncGenerator<T, undefined> {
  private readonly queued: T[] = [];
  /** Pulls waiting for a value (only while nothing is queued). */
  private readonly takers: Taker<T>[] = [];
  /** A value was handed out and the subscriber has not pulled again: it still counts as waiting. */
  private inHand = false;
  /** idle: not listening yet (until the first pull); open; ended: no more values come, the queued ones are still read; done. */
  private state: 'idle' | 'open' | 'ended' | 'done' = 'idle';
  private failure: { err: unknown } | undefined;
  private detach: (() => void) | undefined;

  constructor(
    private readonly attach: (offer: (value: T) => void, end: (err?: unknown) => void) => () => void,
    private readonly tooSlow?: () => void,
  ) {}

  private readonly offer = (value: T): void => {
    if (this.state !== 'open') return;
    const taker = this.takers.shift();
    if (taker) {
      this.inHand = true;
      taker.resolve({ value, done: false });
    } else if (this.queued.length + (this.inHand ? 1 : 0) >= MAX_WAITING_EVENTS) {
      this.tooSlow?.();
      this.end(new AppError('SUBSCRIBER_TOO_SLOW', `more than ${MAX_WAITING_EVENTS} events waited for this subscription; it was ended: subscribe again and refetch`));
    } else {
      this.queued.push(value);
    }
  };

  private readonly end = (err?: unknown): void => {
    if (this.state !== 'open') return;
    this.state = 'ended';
    if (err !== undefined) this.failure = { err };
    this.stopListening();
    // Pulls wait only while nothing is queued: the first gets the end (the error, or done), the others done.
    const takers = this.takers.splice(0);
    const first = takers.shift();
    if (first) this.past().then(first.resolve, first.reject);
    for (const taker of takers) taker.resolve({ value: undefined, done: true });
  };

  private stopListening(): void {
    const detach = this.detach;
    this.detach = undefined;
    detach?.();
  }

  /** What a pull past the last value gets: the error once, then done. */
  private past(): Promise<IteratorResult<T, undefined>> {
    this.state = 'done';
    const failure = this.failure;
    this.failure = undefined;
    return failure ? Promise.reject(failure.err) : Promise.resolve({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T, undefined>> {
    this.inHand = false;
    if (this.state === 'idle') {
      this.state = 'open';
      this.detach = this.attach(this.offer, this.end);
    }
    if (this.queued.length) {
      this.inHand = true;
      return Promise.resolve({ value: this.queued.shift()!, done: false });
    }
    if (this.state === 'open') return new Promise((resolve, reject) => this.takers.push({ resolve, reject }));
    return this.past();
  }

  /** The subscriber leaves: nothing more is read, and waiting pulls are done. */
  return(): Promise<IteratorResult<T, undefined>> {
    this.state = 'done';
    this.failure = undefined;
    this.queued.length = 0;
    this.stopListening();
    for (const taker of this.takers.splice(0)) taker.resolve({ value: undefined, done: true });
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(err: unknown): Promise<IteratorResult<T, undefined>> {
    void this.return();
    return Promise.reject(err);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}

/**
 * A subscriber's queue of what it has not taken yet, fed through `offer` by `attach` (which returns
 * how to detach; `end` finishes the queue, with an error or not). `attach` runs at the first pull.
 * One whose resolver is slower than the events come (a costly selection under a burst) would fill
 * it, so past MAX_WAITING_EVENTS it ends with SUBSCRIBER_TOO_SLOW (it has missed events: the client
 * resubscribes and refetches) and calls `tooSlow`, instead of growing without bound. What was queued
 * before an end is still read, then the error.
 */
export function subscriberQueue<T>(attach: (offer: (value: T) => void, end: (err?: unknown) => void) => () => void, tooSlow?: () => void): AsyncGenerator<T, undefined> {
  return new SubscriberQueue(attach, tooSlow);
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
