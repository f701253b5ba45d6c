import { execute, getOperationAST, GraphQLError, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { CloseCode, MessageType, parseMessage, type SubscribePayload } from 'graphql-ws';
import type { WebSocket } from 'ws';
import { isListenable, type Listener } from '../pubsub/subscriber.queue.js';

/** What the transport decides for the protocol (graphql/transport.ts). */
export interface WsHooks<P> {
  /** The caller behind a `connection_init` payload, or null to refuse it (4403). */
  connect(params: Record<string, unknown> | undefined, socket: WebSocket): Promise<P | null>;
  /** Execution arguments for a subscribe payload (`running`: the connection's operations, this one included), or the errors to answer with. */
  prepare(payload: SubscribePayload, principal: P, running: number): ExecutionArgs | readonly GraphQLError[];
  subscribe(args: ExecutionArgs): Promise<ExecutionResult | AsyncIterable<ExecutionResult>>;
  /** A result as the client gets it (errors masked and logged). */
  format(result: ExecutionResult): unknown;
  /** Errors before or instead of execution (logged when unexpected). */
  refused(errors: readonly GraphQLError[]): void;
  /** The connection closed (after its operations were ended). */
  closed(socket: WebSocket, principal: P | undefined): void;
  /** Sends a text frame (a string, or its UTF-8 bytes) within the unread-bytes limit (`remote`: the client's address, for the log). */
  send(socket: WebSocket, frame: string | Buffer, remote: string | undefined): void;
}

/** Each result's payload serialized once, whatever the number of subscribers it goes to (a shared execution's). */
const payloads = new WeakMap<ExecutionResult, Buffer>();
const NEXT_TAIL = 0x7d; // the `}` closing a next frame

/**
 * One operation: while it is set up it has no source; then it listens to a shared execution's queue
 * (values come as they are offered), or pulls any other source's results by callbacks, so nothing
 * stays suspended between events.
 */
class Operation<P> implements Listener<ExecutionResult> {
  source: AsyncIterator<ExecutionResult> | undefined;
  private frameHead: string | undefined;

  constructor(
    private readonly conn: Connection<P>,
    readonly id: string,
  ) {}

  /** How its `next` frames begin, made once: built per event, a thousand subscribers' heads would be garbage each time. */
  get head(): string {
    return (this.frameHead ??= `{"id":${JSON.stringify(this.id)},"type":"next","payload":`);
  }

  start(): void {
    if (isListenable<ExecutionResult>(this.source!)) this.source.listen(this);
    else this.pull();
  }

  value(result: ExecutionResult): void {
    if (this.conn.running(this)) this.conn.next(this, result);
  }

  ended(err?: unknown): void {
    if (!this.conn.running(this)) return;
    if (err === undefined) return this.conn.finish(this.id, true);
    const original = err instanceof Error ? err : new Error(String(err));
    this.conn.error(this.id, [new GraphQLError(original.message, { originalError: original })]);
  }

  pull(): void {
    this.source!.next().then(
      (r) => {
        if (!this.conn.running(this)) return;
        if (r.done) return this.conn.finish(this.id, true);
        this.conn.next(this, r.value);
        this.pull();
      },
      (err: unknown) => this.ended(err),
    );
  }
}

/**
 * One graphql-transport-ws connection (the protocol of graphql-ws, its close codes and messages),
 * with state in fields rather than closures: an idle subscriber holds its socket, this object and an
 * array of its operations (a shared execution's listen to its queue; others have one pending pull each).
 */
export class Connection<P> {
  private initTimer: NodeJS.Timeout | undefined;
  private initReceived = false;
  private principal: P | undefined;
  /** Running operations: a few, looked up by id only on subscribe and complete; an exact array of one is 24 bytes, a Map's table 152. */
  private ops: Operation<P>[] = [];

  constructor(
    private readonly socket: WebSocket,
    private readonly remote: string | undefined,
    private readonly hooks: WsHooks<P>,
    initTimeoutMs: number,
  ) {
    this.initTimer = setTimeout(() => {
      if (!this.initReceived) this.close(CloseCode.ConnectionInitialisationTimeout, 'Connection initialisation timeout');
    }, initTimeoutMs);
  }

  private close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  private frame(message: object): void {
    this.hooks.send(this.socket, JSON.stringify(message), this.remote);
  }

  running(op: Operation<P>): boolean {
    return this.ops.includes(op);
  }

  private find(id: string): Operation<P> | undefined {
    return this.ops.find((op) => op.id === id);
  }

  /** Forgets operation `id`; whether it was running. */
  private forget(id: string): boolean {
    const i = this.ops.findIndex((op) => op.id === id);
    if (i < 0) return false;
    this.ops.splice(i, 1);
    return true;
  }

  /**
   * A `next` frame, copied as bytes around the shared payload: a string joined per subscriber would be
   * flattened on the heap again for each of them, a thousand copies of the payload for the collector.
   */
  next(op: Operation<P>, result: ExecutionResult): void {
    let payload = payloads.get(result);
    if (payload === undefined) payloads.set(result, (payload = Buffer.from(JSON.stringify(this.hooks.format(result)))));
    const head = op.head;
    const headBytes = Buffer.byteLength(head);
    // Not a slice of Node's shared pool: a frame waiting in a slow client's buffer would keep a whole 8 kB slab alive.
    const frame = Buffer.allocUnsafeSlow(headBytes + payload.length + 1);
    frame.write(head, 0);
    payload.copy(frame, headBytes);
    frame[frame.length - 1] = NEXT_TAIL;
    this.hooks.send(this.socket, frame, this.remote);
  }

  error(id: string, errors: readonly GraphQLError[]): void {
    if (!this.forget(id)) return; // completed by the client meanwhile
    this.hooks.refused(errors);
    this.frame({ id, type: MessageType.Error, payload: errors.map((e) => e.toJSON()) });
  }

  finish(id: string, notify: boolean): void {
    if (this.forget(id) && notify) this.frame({ id, type: MessageType.Complete });
  }

  /** One message from the client; a protocol violation closes the socket with graphql-ws's code. */
  async receive(data: string): Promise<void> {
    let message: ReturnType<typeof parseMessage>;
    try {
      message = parseMessage(data);
    } catch {
      return this.close(CloseCode.BadRequest, 'Invalid message received');
    }
    switch (message.type) {
      case MessageType.ConnectionInit: {
        if (this.initReceived) return this.close(CloseCode.TooManyInitialisationRequests, 'Too many initialisation requests');
        this.initReceived = true;
        clearTimeout(this.initTimer);
        this.initTimer = undefined;
        const principal = await this.hooks.connect(message.payload ?? undefined, this.socket);
        if (principal === null) return this.close(CloseCode.Forbidden, 'Forbidden');
        this.principal = principal;
        return this.frame({ type: MessageType.ConnectionAck });
      }
      case MessageType.Ping:
        return this.frame(message.payload ? { type: MessageType.Pong, payload: message.payload } : { type: MessageType.Pong });
      case MessageType.Pong:
        return;
      case MessageType.Subscribe:
        return this.subscribe(message.id, message.payload);
      case MessageType.Complete: {
        const op = this.find(message.id);
        this.forget(message.id);
        await op?.source?.return?.();
        return;
      }
      default:
        return this.close(CloseCode.BadRequest, `Unexpected message of type ${message.type} received`);
    }
  }

  private async subscribe(id: string, payload: SubscribePayload): Promise<void> {
    if (this.principal === undefined) return this.close(CloseCode.Unauthorized, 'Unauthorized');
    if (this.find(id)) return this.close(CloseCode.SubscriberAlreadyExists, `Subscriber for ${id} already exists`);
    const op = new Operation(this, id);
    this.ops = this.ops.length ? this.ops.concat(op) : [op]; // exactly as long as needed: a push (or a spread) gives 17 slots
    const args = this.hooks.prepare(payload, this.principal, this.ops.length);
    if (Array.isArray(args)) return this.error(id, args);
    const { operation } = getOperationAST((args as ExecutionArgs).document, (args as ExecutionArgs).operationName) ?? {};
    if (!operation) return this.error(id, [new GraphQLError('Unable to identify operation')]);
    const result = operation === 'subscription' ? await this.hooks.subscribe(args as ExecutionArgs) : await execute(args as ExecutionArgs);
    if (!(Symbol.asyncIterator in result)) {
      if (!this.running(op)) return;
      this.next(op, result);
      return this.finish(id, true);
    }
    op.source = result[Symbol.asyncIterator]();
    if (this.running(op)) op.start();
    else void op.source.return?.();
  }

  /** The socket closed: every operation ends, then the transport forgets the connection. */
  async closed(): Promise<void> {
    clearTimeout(this.initTimer);
    const ops = this.ops;
    this.ops = [];
    await Promise.all(ops.map((op) => op.source?.return?.()));
    this.hooks.closed(this.socket, this.principal);
  }
}
