import { Repeater } from '@graphql-yoga/subscription';
import { GraphQLError, subscribe, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';

/** Frames one member may have waiting, like a subscription of its own (pubsub.ts). */
const MAX_WAITING = 500;

type Source = AsyncGenerator<ExecutionResult> | AsyncIterable<ExecutionResult>;

/** One execution of a subscription and the websocket operations that receive its results. */
class Group {
  readonly members = new Set<(r: ExecutionResult | Error) => void>();
  private source?: Source;
  /** Resolves when the execution runs, or to its result when it failed at once (bad arguments, say). */
  readonly started: Promise<ExecutionResult | undefined>;

  constructor(
    args: ExecutionArgs,
    private readonly leave: () => void,
  ) {
    this.started = this.start(args);
  }

  private async start(args: ExecutionArgs): Promise<ExecutionResult | undefined> {
    const result = await Promise.resolve(subscribe(args)).catch((err: unknown) => {
      this.leave();
      throw err;
    });
    if (!(Symbol.asyncIterator in result)) {
      this.leave(); // later subscribers try again
      return result;
    }
    this.source = result;
    void this.pump(result);
    return undefined;
  }

  private async pump(source: Source): Promise<void> {
    try {
      for await (const result of source) for (const deliver of this.members) deliver(result);
    } catch (err) {
      for (const deliver of this.members) deliver(err as Error);
    }
    this.leave();
    for (const deliver of this.members) deliver(END);
  }

  remove(deliver: (r: ExecutionResult | Error) => void): void {
    this.members.delete(deliver);
    if (this.members.size > 0) return;
    this.leave();
    const source = this.source as AsyncGenerator<ExecutionResult> | undefined;
    void source?.return?.(undefined);
  }
}

/** The source ended: its members complete. */
const END = new Error('end');

/**
 * graphql-ws's `subscribe`: websocket operations with the same document (the same query text; see
 * `documentOf`), operation and variables share one execution: a subscriber's frame is resolved once
 * per event, not once per subscriber, and each subscriber gets the same result. With a thousand
 * widgets open on one inbox, that is a thousand times fewer resolver runs per message. Each subscriber
 * keeps its own queue (ended with SUBSCRIBER_TOO_SLOW past MAX_WAITING frames, like the events under
 * it), so one slow socket never holds back the others. Resolvers of subscriptions only read (the
 * context of the operation that started the execution serves all).
 */
export function sharedSubscribe() {
  const groups = new Map<DocumentNode, Map<string, Group>>();

  return async (args: ExecutionArgs): Promise<ExecutionResult | AsyncGenerator<ExecutionResult>> => {
    const key = JSON.stringify([args.operationName ?? null, args.variableValues ?? null]);
    let byKey = groups.get(args.document);
    if (!byKey) groups.set(args.document, (byKey = new Map()));
    let group = byKey.get(key);
    if (!group) {
      const forget = () => {
        if (byKey.get(key) !== group) return;
        byKey.delete(key);
        if (byKey.size === 0) groups.delete(args.document);
      };
      group = new Group(args, forget);
      byKey.set(key, group);
    }
    const own = group;
    const member = new Repeater<ExecutionResult>((push, stop) => {
      let waiting = 0;
      const deliver = (r: ExecutionResult | Error) => {
        if (r === END) return stop();
        if (r instanceof Error) return stop(r);
        if (waiting >= MAX_WAITING) {
          own.remove(deliver);
          stop(new GraphQLError(`more than ${MAX_WAITING} frames waited for this subscription; it was ended: subscribe again and refetch`, { extensions: { code: 'SUBSCRIBER_TOO_SLOW' } }));
          return;
        }
        waiting++;
        push(r).then(() => waiting--, () => undefined);
      };
      own.members.add(deliver);
      stop.then(() => own.remove(deliver));
    });
    const failed = await own.started;
    if (failed) {
      await member.return();
      return failed;
    }
    return member;
  };
}

/**
 * Parsed documents by query text, so that subscribers sending the same text get the same document
 * (the sharing key of sharedSubscribe) and a thousand subscribers parse and validate it once.
 * Bounded: past `max` texts the oldest is dropped.
 */
export function documentCache<T>(max = 500) {
  const cache = new Map<string, T>();
  return (text: string, make: () => T): T => {
    let hit = cache.get(text);
    if (hit === undefined) {
      hit = make();
      cache.set(text, hit);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
    }
    return hit;
  };
}
