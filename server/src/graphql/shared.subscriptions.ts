import { getOperationAST, Kind, subscribe, type DocumentNode, type ExecutionArgs, type ExecutionResult, type SelectionSetNode } from 'graphql';
import { subscriberQueue, type Sink } from '../pubsub/subscriber.queue.js';

type Source = AsyncGenerator<ExecutionResult> | AsyncIterable<ExecutionResult>;

/** A subscriber of a shared execution: its queue (subscriberQueue). */
type Member = Sink<ExecutionResult>;

/** One execution of a subscription and the websocket operations that receive its results. */
class Group {
  readonly members = new Set<Member>();
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
    let error: unknown;
    try {
      for await (const result of source) for (const m of this.members) m.offer(result);
    } catch (err) {
      error = err;
    }
    this.leave();
    for (const m of this.members) m.end(error);
  }

  /** A new subscriber's queue. Made here so its closures hold only the group, not the caller's scope (its key, its arguments). */
  join(): AsyncGenerator<ExecutionResult, undefined> {
    return subscriberQueue<ExecutionResult>((sink) => {
      this.members.add(sink);
      return () => this.remove(sink);
    });
  }

  remove(member: Member): void {
    this.members.delete(member);
    if (this.members.size > 0) return;
    this.leave();
    const source = this.source as AsyncGenerator<ExecutionResult> | undefined;
    void source?.return?.(undefined);
  }
}

/**
 * The extension (`@Extensions({ [PER_SUBSCRIBER]: true })`) of a subscription field whose execution
 * belongs to its subscriber, because subscribing does something for the caller (presence: viewing).
 */
export const PER_SUBSCRIBER = 'perSubscriber';

/** The root fields an operation selects (through fragments too). */
function rootFields(set: SelectionSetNode, document: DocumentNode): string[] {
  return set.selections.flatMap((s) => {
    if (s.kind === Kind.FIELD) return [s.name.value];
    if (s.kind === Kind.INLINE_FRAGMENT) return rootFields(s.selectionSet, document);
    const fragment = document.definitions.find((d) => d.kind === Kind.FRAGMENT_DEFINITION && d.name.value === s.name.value);
    return fragment?.kind === Kind.FRAGMENT_DEFINITION ? rootFields(fragment.selectionSet, document) : [];
  });
}

function perSubscriber(args: ExecutionArgs): boolean {
  const op = getOperationAST(args.document, args.operationName);
  const fields = args.schema.getSubscriptionType()?.getFields();
  if (!op || !fields) return false;
  return rootFields(op.selectionSet, args.document).some((name) => fields[name]?.extensions?.[PER_SUBSCRIBER] === true);
}

/**
 * The websocket's `subscribe` (`ws.protocol.ts`): operations with the same document, operation and variables share one
 * execution, so an event is resolved once rather than once per subscriber. Each subscriber keeps its
 * own bounded queue, so one slow socket never holds back the others; subscription resolvers only
 * read, so the first operation's context serves all. A PER_SUBSCRIBER field runs on its own.
 */
export function sharedSubscribe() {
  const groups = new Map<DocumentNode, Map<string, Group>>();

  return async (args: ExecutionArgs): Promise<ExecutionResult | AsyncGenerator<ExecutionResult>> => {
    if (perSubscriber(args)) return subscribe(args);
    // Shared only among callers allowed the same things: the execution authorizes with its first subscriber's context.
    const scopes = (args.contextValue as { principal?: { scopes: ReadonlySet<string> } } | undefined)?.principal?.scopes;
    const key = JSON.stringify([args.operationName ?? null, args.variableValues ?? null, scopes ? [...scopes].sort() : null]);
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
    const member = own.join();
    const failed = await own.started;
    if (failed) {
      await member.return(undefined);
      return failed;
    }
    return member;
  };
}

/** Parsed documents by query text, so the same text gets the same document (sharedSubscribe's key); keeps the newest `max`. */
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
