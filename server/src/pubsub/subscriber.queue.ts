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

/** A consumer that takes values as they come (`SubscriberQueue.listen`) instead of pulling them one promise at a time. */
export interface Listener<T> {
  value(value: T): void;
  /** No more values: the source ended (with `err` when it failed). */
  ended(err?: unknown): void;
}

/** A queue that can hand its values to a Listener. */
export interface Listenable<T> {
  listen(listener: Listener<T>): void;
}

export function isListenable<T>(source: object): source is Listenable<T> {
  return typeof (source as Partial<Listenable<T>>).listen === 'function';
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
  /** Takes every value as it is offered, once `listen` was called: no pulls, so nothing waits between events. */
  private listener: Listener<T> | undefined;

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
    if (this.listener) return this.hand(value);
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
    if (this.listener) return this.finishListener();
    // Pulls wait only while nothing is queued: the first gets the end (the error, or done), the others done.
    const [first, ...others] = this.takeAll();
    if (first) this.past().then(first.resolve, first.reject);
    for (const taker of others) taker.resolve({ value: undefined, done: true });
  }

  /** A listener that throws ends only its own subscription, not the source's loop over its other subscribers. */
  private hand(value: T): void {
    try {
      this.listener!.value(value);
    } catch (err) {
      this.end(err);
    }
  }

  private finishListener(): void {
    const listener = this.listener!;
    this.listener = undefined;
    this.state = 'done';
    const failure = this.failure;
    this.failure = undefined;
    listener.ended(failure?.err);
  }

  /**
   * From now on every value goes to `listener` as it is offered (what was queued first), and the end
   * to `listener.ended`. A websocket operation sends at once, so it needs no pull per event: a
   * thousand idle subscribers then hold no pending promise, which the garbage collector would copy
   * at every scavenge. Pulls are no longer served.
   */
  listen(listener: Listener<T>): void {
    if (this.state === 'done' || this.listener) return;
    this.listener = listener;
    if (this.state === 'idle') {
      this.state = 'open';
      this.detach = this.attach(this);
    }
    const queued = this.queued;
    this.queued = undefined;
    this.inHand = false;
    for (const value of queued ?? []) {
      if (this.listener !== listener) return; // it ended meanwhile
      this.hand(value);
    }
    if (this.state === 'ended' && this.listener === listener) this.finishListener();
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
    if (this.listener) return Promise.resolve({ value: undefined, done: true });
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
    this.listener = undefined;
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
export function subscriberQueue<T>(attach: (sink: Sink<T>) => () => void, tooSlow?: () => void): AsyncGenerator<T, undefined> & Listenable<T> {
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

