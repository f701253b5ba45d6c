/** Public types of the Meta simulator. */

/** Template lifecycle states the simulator knows (Meta has a few more). */
export type SimTemplateStatus = 'APPROVED' | 'PENDING' | 'REJECTED' | 'PAUSED' | 'DISABLED';

/** A message template as `GET /{waba}/message_templates` returns it. */
export interface SimTemplate {
  /** Defaults to a generated numeric id. */
  id?: string;
  name: string;
  /** e.g. `en_US` */
  language: string;
  status: SimTemplateStatus;
  category: 'MARKETING' | 'UTILITY' | 'AUTHENTICATION';
  /** Meta's component objects, e.g. `{ type: 'BODY', text: 'Hi {{1}}' }`. */
  components: Array<Record<string, unknown>>;
}

/** Options shared by {@link createSimulatorRouter} and {@link startSimulator}. */
export interface SimulatorOptions {
  /** HMAC-SHA256 key for the `X-Hub-Signature-256` header of every webhook posted. */
  appSecret: string;
  /** Where webhooks are POSTed; can be set later with `setWebhookUrl`. */
  webhookUrl?: string;
  /** When set, Graph API calls must carry `Authorization: Bearer <accessToken>` (else 401, code 190). */
  accessToken?: string;
  /** The business number id; used in webhook metadata. */
  phoneNumberId: string;
  /** Display number in webhook metadata, default `15550001111`. */
  displayPhoneNumber?: string;
  /** WhatsApp Business Account id; `entry[].id` of every webhook. */
  wabaId: string;
  /** Delay after an accepted send before each status webhook; default 20/40/60 ms. */
  statusDelaysMs?: { sent: number; delivered: number; read: number };
  /** Post the `read` status after sends, default true. */
  autoRead?: boolean;
  /** Seeded templates; default {@link defaultTemplates}. */
  templates?: SimTemplate[];
  /** Lifetime of a media download URL, default 5 minutes. */
  mediaUrlTtlMs?: number;
  /** Enforce Meta's throughput limit: more sends than this in any sliding second answer 130429. Off when unset. */
  maxMessagesPerSecond?: number;
  /** Enforce the pair rate limit: a send to the same recipient sooner than this answers 131056. Off when unset. */
  pairIntervalMs?: number;
  /** Status webhooks our server did not take (non-2xx or unreachable) are retried, like Meta does; default 30 tries, backoff up to 5 s. */
  webhookRetries?: number;
  /** Where webhook delivery problems are reported; default `console.warn`. */
  log?: (message: string) => void;
}

/**
 * Decides whether a request to a control route (`/_simulator/*`) may run, from its headers: resolves
 * to nothing to let it through, or to the refusal to answer (e.g. 401 without a credential).
 */
export type ControlGuard = (req: { headers: Record<string, string | string[] | undefined> }) => Promise<{ status: number; error: string } | undefined | void>;

/** What {@link Simulator.injectInbound} turns into a `messages` webhook. */
export interface InboundInput {
  /** Sender phone (`from`, `wa_id`); omitted when only `userId` is given. Default `16505551234`. */
  from?: string;
  /** Sender BSUID (`from_user_id`, `contacts[].user_id`). Default: derived from `from`; `null` omits it. */
  userId?: string | null;
  /** Profile name, default `Sim User`. */
  name?: string;
  /** Text body; implies `type: 'text'`. */
  text?: string;
  /** Message type; default `text`, or the type key found in `message`. */
  type?: string;
  /** Fields merged into the message object, e.g. `{ image: { id, mime_type, sha256 } }`. */
  message?: Record<string, unknown>;
  /** Makes the message a reply to this wamid (`context.id`). */
  contextMessageId?: string;
  /** Unix seconds, default now. */
  timestamp?: number;
  /** `metadata.phone_number_id`, default the simulator's number. */
  phoneNumberId?: string;
}

/** Argument of {@link Simulator.completeFlow}: the customer's answers to a sent Flow message. */
export interface FlowCompletion {
  /** The Flow message answered; default the latest sent to `to`, or the latest sent at all. */
  wamid?: string;
  /** Whom the Flow message went to (phone or BSUID as sent), when `wamid` is not given. */
  to?: string;
  /** The answers, by the Flow's field names; `flow_token` is added from the message. */
  response: Record<string, unknown>;
  /** Profile name of the customer, default `Sim User`. */
  name?: string;
}

/** Argument of {@link Simulator.failNext}: the Meta error the next sends answer with. */
export interface FailureSpec {
  code: number;
  /** How many sends fail, default 1. */
  count?: number;
  /** Default: 429 for 4/80007/130429/131056, 401 for 190, 500 for 1/2/131000/131016, else 400. */
  httpStatus?: number;
  title?: string;
  message?: string;
  details?: string;
  /** Adds a `Retry-After` header. */
  retryAfterSeconds?: number;
}

/**
 * Argument of {@link Simulator.acceptThenFailNext}: how the next sends are taken and yet answered so
 * that the sender cannot know: `bad-gateway` answers 502 (no Graph error, as a load balancer would),
 * `hang` never answers (the client times out), `no-id` answers 200 without a message id.
 */
export interface AmbiguousSpec {
  mode: 'bad-gateway' | 'hang' | 'no-id';
  /** How many sends, default 1. */
  count?: number;
  /** Post their status webhooks (sent, delivered, read) as for any accepted send; default false: they are lost, or late beyond the test. */
  statuses?: boolean;
}

/** How a scripted media download fails: HTTP 500, or the right status with one byte changed (a sha256 mismatch). */
export type MediaDownloadFailure = 'error' | 'corrupt';

/** One Graph API request as the simulator saw it. */
export interface RecordedRequest {
  method: string;
  /** Path below the mount point, with the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, a multipart summary, raw text, or undefined when empty. */
  body: unknown;
  /** ms since epoch */
  at: number;
  /** HTTP status answered (0 while pending, or when the simulator hung up: {@link Simulator.dropNext}). */
  status: number;
}

/** An accepted send. */
export interface SentMessage {
  waMessageId: string;
  /** `to` or `recipient` as given. */
  to: string;
  type: string;
  /** The request body. */
  body: Record<string, unknown>;
  at: number;
}

/** The simulator's state and controls. */
export interface Simulator {
  setWebhookUrl(url: string): void;
  /** Builds a signed `messages` webhook and POSTs it; resolves with our server's HTTP status. */
  injectInbound(input: InboundInput): Promise<{ waMessageId: string; webhookStatus: number; body: object }>;
  /** The customer completes a sent Flow: posts its `nfm_reply` webhook, quoting the Flow message. 404 when no Flow was sent. */
  completeFlow(c: FlowCompletion): Promise<{ waMessageId: string; webhookStatus: number; body: object }>;
  /** Signs and POSTs any body (a string is sent byte for byte). */
  postWebhook(body: object | string): Promise<{ status: number }>;
  /** The next `count` sends answer with this Meta error. */
  failNext(f: FailureSpec): void;
  /** Delays every Graph API answer by `ms`. */
  setLatency(ms: number): void;
  /**
   * The next `count` (default 1) sends are read and then hung up on, unanswered and not accepted: a request
   * lost on the way to Meta, whose outcome the sender cannot know. Their recorded status stays 0.
   */
  dropNext(count?: number): void;
  /**
   * The next sends are accepted (recorded in `sent`, their recipient counted against the limits) and then
   * answered ambiguously: a 502, no answer at all, or a 200 without a message id. Their recorded status is
   * 502, 0 or 200.
   */
  acceptThenFailNext(spec: AmbiguousSpec): void;
  /** Stores bytes as media and returns its id (for inbound media). */
  addMedia(bytes: Buffer, mimeType: string): string;
  /** The next `count` (default 1) downloads of a media URL fail: HTTP 500 (`error`, default) or corrupted bytes (`corrupt`). */
  failMediaDownloads(count?: number, mode?: MediaDownloadFailure): void;
  /** Changes a template's status and posts the `message_template_status_update` webhook; resolves with our server's HTTP status. */
  setTemplateStatus(name: string, language: string, status: SimTemplateStatus, reason?: string): Promise<{ status: number }>;
  /** Every Graph API request, oldest first. */
  readonly requests: RecordedRequest[];
  /** Every accepted send, oldest first. */
  readonly sent: SentMessage[];
  /** The templates `GET /{waba}/message_templates` lists; change it to add, drop or edit templates. */
  readonly templates: SimTemplate[];
  /** Clears requests, sent, scripted failures (sends, drops and downloads), latency and pending status webhooks (media and templates stay). */
  reset(): void;
}
