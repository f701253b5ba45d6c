import { createHash, randomBytes, randomInt } from 'node:crypto';
import { metaError, SimulatorError, type MetaErrorReply } from './meta-errors.js';
import { inboundWebhook, newWamid, signBody, statusWebhook, templateWebhook, type EnvelopeContext, type StatusSubject } from './payloads.js';
import { defaultTemplates } from './templates.js';
import { flowReply } from './flows.js';
import type {
  AmbiguousSpec, FailureSpec, FlowCompletion, InboundInput, MediaDownloadFailure, RecordedRequest, SentMessage, SimTemplate, SimTemplateStatus, Simulator, SimulatorOptions,
} from './types.js';

/** Bytes stored by an upload or {@link SimulatorCore.addMedia}. */
export interface StoredMedia {
  id: string;
  bytes: Buffer;
  mimeType: string;
  sha256: string;
  filename?: string;
}

/** Everything the routes need to turn an accepted send into status webhooks. */
export interface AcceptedSend {
  phoneNumberId: string;
  to: string;
  toIsUserId: boolean;
  type: string;
  body: Record<string, unknown>;
  /** Template category, when `type` is template. */
  templateCategory?: string;
}

/** The simulator's state: recordings, scripted failures, media and the webhook sender. */
export class SimulatorCore implements Simulator {
  readonly requests: RecordedRequest[] = [];
  readonly sent: SentMessage[] = [];
  readonly templates: SimTemplate[];
  readonly media = new Map<string, StoredMedia>();
  latencyMs = 0;
  private readonly downloads = new Map<string, { mediaId: string; expiresAt: number }>();
  private failures: Array<{ spec: FailureSpec; remaining: number }> = [];
  private drops = 0;
  private ambiguous: Array<{ spec: AmbiguousSpec; remaining: number }> = [];
  private downloadFailures: Array<{ mode: MediaDownloadFailure; remaining: number }> = [];
  private webhookUrl: string | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<unknown>>();
  /** Times of accepted sends within the last second, for throughput enforcement. */
  private readonly recentSends: number[] = [];
  private readonly lastSendTo = new Map<string, number>();
  /** Where delivery problems are reported. */
  readonly log: (message: string) => void;

  constructor(readonly opts: SimulatorOptions) {
    this.webhookUrl = opts.webhookUrl;
    this.log = opts.log ?? ((m) => console.warn(`[simulator] ${m}`));
    this.templates = (opts.templates ?? defaultTemplates()).map((t) => ({ ...t, id: t.id ?? numericId() }));
  }

  private get ctx(): EnvelopeContext {
    return {
      wabaId: this.opts.wabaId,
      phoneNumberId: this.opts.phoneNumberId,
      displayPhoneNumber: this.opts.displayPhoneNumber ?? '15550001111',
    };
  }

  setWebhookUrl(url: string): void {
    this.webhookUrl = url;
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  failNext(f: FailureSpec): void {
    this.failures.push({ spec: f, remaining: f.count ?? 1 });
  }

  dropNext(count = 1): void {
    this.drops += Math.max(0, count);
  }

  acceptThenFailNext(spec: AmbiguousSpec): void {
    this.ambiguous.push({ spec, remaining: spec.count ?? 1 });
  }

  /** Consumes one scripted ambiguous answer, if any is queued. */
  takeAmbiguous(): AmbiguousSpec | undefined {
    const head = this.ambiguous[0];
    if (!head) return undefined;
    if (--head.remaining <= 0) this.ambiguous.shift();
    return head.spec;
  }

  /** Consumes one scripted hang-up; true when this send is to be dropped. */
  takeDrop(): boolean {
    if (this.drops <= 0) return false;
    this.drops--;
    return true;
  }

  /** Consumes one scripted failure, if any is queued. */
  takeFailure(): MetaErrorReply | undefined {
    const head = this.failures[0];
    if (!head) return undefined;
    if (--head.remaining <= 0) this.failures.shift();
    const { spec } = head;
    return metaError(spec.code, spec.details ?? `Simulated failure (code ${spec.code})`, {
      status: spec.httpStatus,
      title: spec.title,
      message: spec.message,
      retryAfterSeconds: spec.retryAfterSeconds,
    });
  }

  failMediaDownloads(count = 1, mode: MediaDownloadFailure = 'error'): void {
    this.downloadFailures.push({ mode, remaining: count });
  }

  /** Consumes one scripted media download failure, if any is queued. */
  takeDownloadFailure(): MediaDownloadFailure | undefined {
    const head = this.downloadFailures[0];
    if (!head) return undefined;
    if (--head.remaining <= 0) this.downloadFailures.shift();
    return head.mode;
  }

  async setTemplateStatus(name: string, language: string, status: SimTemplateStatus, reason?: string): Promise<{ status: number }> {
    const t = this.templates.find((x) => x.name === name && x.language === language);
    if (!t) throw new SimulatorError(404, `no template ${name} (${language})`);
    t.status = status;
    return this.postWebhook(templateWebhook(this.opts.wabaId, 'message_template_status_update', {
      event: status,
      message_template_id: Number(t.id),
      message_template_name: t.name,
      message_template_language: t.language,
      reason: reason ?? (status === 'REJECTED' ? 'INVALID_FORMAT' : 'NONE'),
      message_template_category: t.category,
    }));
  }

  addMedia(bytes: Buffer, mimeType: string, filename?: string): string {
    let id = numericId();
    while (this.media.has(id)) id = numericId();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.media.set(id, { id, bytes: Buffer.from(bytes), mimeType, sha256, filename });
    return id;
  }

  /** A fresh download token for a media id, valid for `mediaUrlTtlMs`. */
  createDownloadToken(mediaId: string): string {
    const token = randomBytes(24).toString('base64url');
    this.downloads.set(token, { mediaId, expiresAt: Date.now() + (this.opts.mediaUrlTtlMs ?? 5 * 60_000) });
    return token;
  }

  /** The media behind a download token; undefined when unknown or expired. */
  resolveDownload(token: string): StoredMedia | undefined {
    const d = this.downloads.get(token);
    if (!d) return undefined;
    if (Date.now() >= d.expiresAt) {
      this.downloads.delete(token);
      return undefined;
    }
    return this.media.get(d.mediaId);
  }

  async postWebhook(body: object | string): Promise<{ status: number }> {
    const url = this.webhookUrl;
    if (!url) throw new SimulatorError(409, 'simulator has no webhook URL (setWebhookUrl)');
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const task = fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'facebookexternalua',
        'x-hub-signature-256': signBody(this.opts.appSecret, raw),
      },
      body: raw,
      signal: AbortSignal.timeout(20_000),
    }).then(
      async (res) => {
        await res.arrayBuffer();
        return { status: res.status };
      },
      (e: unknown) => {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        throw new SimulatorError(502, `webhook POST to ${url} failed: ${cause?.code ?? cause?.message ?? String(e)}`);
      },
    );
    this.inFlight.add(task);
    try {
      return await task;
    } finally {
      this.inFlight.delete(task);
    }
  }

  async injectInbound(input: InboundInput): Promise<{ waMessageId: string; webhookStatus: number; body: object }> {
    const { waMessageId, body } = inboundWebhook(this.ctx, input);
    const { status } = await this.postWebhook(body);
    return { waMessageId, webhookStatus: status, body };
  }

  async completeFlow(c: FlowCompletion): Promise<{ waMessageId: string; webhookStatus: number; body: object }> {
    return this.injectInbound(flowReply(this.sent, c));
  }

  /**
   * Meta's rate limits, when enabled: 130429 over the throughput in any sliding second,
   * 131056 for a second message to one recipient within the pair interval.
   */
  checkLimits(to: string): MetaErrorReply | undefined {
    const now = Date.now();
    const { maxMessagesPerSecond: rate, pairIntervalMs: pair } = this.opts;
    if (rate) {
      while (this.recentSends.length && now - this.recentSends[0]! >= 1000) this.recentSends.shift();
      if (this.recentSends.length >= rate) {
        return metaError(130429, `Rate limit hit: more than ${rate} messages per second`, { retryAfterSeconds: 1 });
      }
    }
    if (pair) {
      const last = this.lastSendTo.get(to);
      if (last !== undefined && now - last < pair) {
        return metaError(131056, 'Too many messages sent from this phone number to the same phone number in a short period of time');
      }
    }
    return undefined;
  }

  /** Records an accepted send and (unless `statuses` is false) schedules its sent → delivered → read webhooks. */
  accept(send: AcceptedSend, statuses = true): string {
    const waMessageId = newWamid();
    const now = Date.now();
    this.recentSends.push(now);
    this.lastSendTo.set(send.to, now);
    this.sent.push({ waMessageId, to: send.to, type: send.type, body: send.body, at: Date.now() });
    const callback = send.body.biz_opaque_callback_data;
    const subject: StatusSubject = {
      waMessageId,
      ...(send.toIsUserId ? { recipientUserId: send.to } : { recipientId: send.to.replace(/\D/g, '') }),
      bizOpaqueCallbackData: typeof callback === 'string' ? callback : undefined,
      pricing: send.templateCategory
        ? { pricing_model: 'PMP', type: 'regular', category: send.templateCategory.toLowerCase() }
        : { pricing_model: 'PMP', type: 'free_customer_service', category: 'service' },
    };
    if (!statuses) return waMessageId;
    const delays = this.opts.statusDelaysMs ?? { sent: 20, delivered: 40, read: 60 };
    const steps: Array<[string, number]> = [['sent', delays.sent], ['delivered', delays.delivered]];
    if (this.opts.autoRead !== false) steps.push(['read', delays.read]);
    const ctx = { ...this.ctx, phoneNumberId: send.phoneNumberId };
    for (const [status, delay] of steps) {
      this.later(delay, () => this.deliver(statusWebhook(ctx, subject, status), `status ${status} for ${waMessageId}`, 0));
    }
    return waMessageId;
  }

  private later(delay: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, delay);
    this.timers.add(timer);
  }

  /** Posts a webhook; like Meta, retries with backoff while our server does not answer 2xx. */
  private deliver(body: object, label: string, attempt: number): void {
    const retry = (why: string) => {
      if (attempt + 1 >= (this.opts.webhookRetries ?? 30)) return this.log(`${label}: gave up after ${attempt + 1} tries (${why})`);
      this.later(Math.min(250 * 2 ** attempt, 5000), () => this.deliver(body, label, attempt + 1));
    };
    this.postWebhook(body).then(
      (r) => (r.status >= 300 ? retry(`answered ${r.status}`) : undefined),
      (e: unknown) => retry(String(e)),
    );
  }

  reset(): void {
    this.requests.length = 0;
    this.sent.length = 0;
    this.failures = [];
    this.drops = 0;
    this.ambiguous = [];
    this.downloadFailures = [];
    this.latencyMs = 0;
    this.recentSends.length = 0;
    this.lastSendTo.clear();
    this.cancelPending();
  }

  /** Cancels status webhooks not yet posted. */
  cancelPending(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Cancels pending webhooks and waits for those already on the wire. */
  async drain(): Promise<void> {
    this.cancelPending();
    await Promise.allSettled([...this.inFlight]);
  }
}

function numericId(): string {
  return String(randomInt(10 ** 14, 2 ** 48 - 1));
}
