import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { AppError } from '../errors.js';

const unlimited = <T extends EventTarget>(target: T): T => {
  setMaxListeners(0, target);
  return target;
};

/** Events one subscriber may have waiting (taken from the queue and not yet followed by another pull, or queued). */
export const MAX_WAITING_EVENTS = 500;

type Taker<T> = { resolve: (r: IteratorResult<T, undefined>) => void; reject: (err: unknown) => void };

/** How a source feeds a subscriber's queue: `offer` a value, `end` it (with an error or without). */
export interface Sink<T> {
  offer(value: T): void;
  end(err?: unknown): void;
}

/**
 * The queue behind subscriberQueue. Pulls get plain promises: answers made with
 * `Object.create(promise)` would make each event's promise a prototype, which V8 keeps through
 * young-generation collections. It is its own sink, with methods rather than bound functions, and
 * keeps one waiting pull in a field (a subscriber pulls one at a time): an idle subscriber of a
 * thousand holds no closures and no array of its own.
 */
class SubscriberQueue<T> implements AsyncGenerator<T, undefined>, Sink<T> {
  private queued: T[] | undefined;
  /** A pull waiting for a value (only while nothing is queued); more in `takers`, rarely. */
  private taker: Taker<T> | undefined;
  private takers: Taker<T>[] | undefined;
  /** A value was handed out and the subscriber has not pulled again: it still counts as waiting. */
  private inHand = false;
  /** idle: not listening yet (until the first pull); open; ended: no more values come, the queued ones are still read; done. */
  private state: 'idle' | 'open' | 'ended' | 'done' = 'idle';
  private failure: { err: unknown } | undefined;
  private detach: (() => void) | undefined;

  constructor(
    private readonly attach: (sink: Sink<T>) => () => void,
    private readonly tooSlow?: () => void,
  ) {}

  /** Takes the waiting pulls, oldest first. */
  private takeAll(): Taker<T>[] {
    const all = this.taker ? [this.taker, ...(this.takers ?? [])] : [];
    this.taker = undefined;
    this.takers = undefined;
    return all;
  }

  offer(value: T): void {
    if (this.state !== 'open') return;
    const taker = this.taker;
    if (taker) {
      this.taker = this.takers?.shift();
      this.inHand = true;
      taker.resolve({ value, done: false });
    } else if ((this.queued?.length ?? 0) + (this.inHand ? 1 : 0) >= MAX_WAITING_EVENTS) {
      this.tooSlow?.();
      this.end(new AppError('SUBSCRIBER_TOO_SLOW', `more than ${MAX_WAITING_EVENTS} events waited for this subscription; it was ended: subscribe again and refetch`));
    } else {
      (this.queued ??= []).push(value);
    }
  }

  end(err?: unknown): void {
    if (this.state !== 'open') return;
    this.state = 'ended';
    if (err !== undefined) this.failure = { err };
    this.stopListening();
    // Pulls wait only while nothing is queued: the first gets the end (the error, or done), the others done.
    const [first, ...others] = this.takeAll();
    if (first) this.past().then(first.resolve, first.reject);
    for (const taker of others) taker.resolve({ value: undefined, done: true });
  }

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
      this.detach = this.attach(this);
    }
    if (this.queued?.length) {
      this.inHand = true;
      const value = this.queued.shift()!;
      if (this.queued.length === 0) this.queued = undefined;
      return Promise.resolve({ value, done: false });
    }
    if (this.state === 'open') {
      return new Promise((resolve, reject) => {
        if (!this.taker) this.taker = { resolve, reject };
        else (this.takers ??= []).push({ resolve, reject });
      });
    }
    return this.past();
  }

  /** The subscriber leaves: nothing more is read, and waiting pulls are done. */
  return(): Promise<IteratorResult<T, undefined>> {
    this.state = 'done';
    this.failure = undefined;
    this.queued = undefined;
    this.stopListening();
    for (const taker of this.takeAll()) taker.resolve({ value: undefined, done: true });
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
 * A subscriber's bounded queue, fed through its sink by `attach` (run at the first pull; it returns
 * how to detach; `sink.end` finishes the queue). A subscriber slower than its events would fill it, so past
 * MAX_WAITING_EVENTS it ends with SUBSCRIBER_TOO_SLOW (the client resubscribes and refetches) and
 * calls `tooSlow`; what was queued before an end is still read, then the error.
 */
export function subscriberQueue<T>(attach: (sink: Sink<T>) => () => void, tooSlow?: () => void): AsyncGenerator<T, undefined> {
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

  /** Offers `payload` to every subscriber of `topic` in this process. */
  publish(topic: string, payload: unknown): void {
    this.target.dispatchEvent(new CustomEvent(topic, { detail: payload }));
  }

  /** A new subscriber's queue of the events of `topic`; it starts listening at its first pull. */
  subscribe(topic: string): AsyncIterable<unknown> {
    const { target, subscribers } = this;
    return subscriberQueue<unknown>(
      (sink) => {
        const listener = (event: Event) => sink.offer((event as CustomEvent).detail);
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

