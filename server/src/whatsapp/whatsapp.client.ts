import { Agent, FormData, request } from 'undici';

/** An error answered by the Graph API (or a transport failure, code null). */
export class WhatsAppApiError extends Error {
  constructor(
    message: string,
    readonly httpStatus: number | null,
    readonly code: number | null,
    readonly title: string | null,
    readonly details: string | null,
    readonly retryAfterSeconds: number | null,
    readonly fbtraceId: string | null = null,
    /** False when the request certainly never reached the API (connection refused), so a retry cannot duplicate. */
    readonly requestSent = true,
  ) {
    super(message);
  }
}

/** Meta's answer to a send: the wamid, and the recipient as Meta knows them. */
export interface SendResult {
  waMessageId: string;
  messageStatus: string;
  waId?: string;
  userId?: string;
}

/** One page of `GET /{waba}/message_templates`: Meta's template objects and the cursor of the next page (null on the last). */
export interface TemplatePage {
  data: Array<Record<string, any>>;
  after: string | null;
}

/** Meta's answer to a template's creation or edit: its id, review status and category. */
export interface TemplateResult {
  id: string;
  status: string | null;
  category: string | null;
}

/** `GET /{media-id}`: where to download the file (the URL lives about 5 minutes) and what to expect. */
export interface MediaInfo {
  id: string;
  url: string;
  mimeType: string | null;
  /** As Meta gives it (hex; webhooks may carry base64). */
  sha256: string | null;
  fileSize: number | null;
}

/** Where the Graph API is and which account and number to use. */
export interface WhatsAppClientOptions {
  baseUrl: string;
  version: string;
  token: string;
  phoneNumberId: string;
  businessAccountId: string;
  timeoutMs?: number;
}

/**
 * The one Graph API client. Every call to Meta goes through it, so the base URL decides who plays Meta.
 * Call {@link close} when done: it holds keep-alive connections.
 */
export class WhatsAppClient {
  /**
   * Keep-alive connections for the API calls, made with undici's `request`: `fetch`'s web streams,
   * Headers and Response objects cost the dispatcher much of its CPU per send. A POST is never resent
   * by undici when the connection drops under it (the caller hears UND_ERR_SOCKET).
   */
  private readonly agent = new Agent();

  constructor(private readonly opts: WhatsAppClientOptions) {}

  get phoneNumberId(): string {
    return this.opts.phoneNumberId;
  }

  /** POST /{phone-number-id}/messages with a message object (`to` or `recipient`, `type`, ...). */
  async sendMessage(message: Record<string, unknown>, phoneNumberId = this.opts.phoneNumberId): Promise<SendResult> {
    const res = await this.call('POST', `/${phoneNumberId}/messages`, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...onTheWire(message),
    });
    const id = res?.messages?.[0]?.id;
    // Classed as an unknown outcome (whatsapp.errors.ts): Meta may have sent it all the same.
    if (typeof id !== 'string') throw new WhatsAppApiError('Graph API answered without a message id', 200, null, null, null, null);
    return { waMessageId: id, messageStatus: res.messages[0].message_status ?? 'accepted', waId: res.contacts?.[0]?.wa_id, userId: res.contacts?.[0]?.user_id };
  }

  /**
   * Marks a received message (and all earlier ones in the chat) as read; with `typing`, the customer
   * also sees "typing…" until the reply or for 25 s.
   */
  async markRead(waMessageId: string, phoneNumberId = this.opts.phoneNumberId, typing = false): Promise<void> {
    await this.call('POST', `/${phoneNumberId}/messages`, {
      messaging_product: 'whatsapp', status: 'read', message_id: waMessageId, ...(typing ? { typing_indicator: { type: 'text' } } : {}),
    });
  }

  /**
   * One page of the WABA's templates, `limit` per page, from the cursor `after` (first page when
   * omitted). `after` of the result is null on the last page (Meta's `paging.next` is absent).
   */
  async listTemplates(after?: string, limit = 100): Promise<TemplatePage> {
    const q = new URLSearchParams({
      limit: String(limit),
      fields: 'id,name,language,status,category,components,parameter_format,quality_score,rejected_reason',
    });
    if (after) q.set('after', after);
    const res = await this.call('GET', `/${this.opts.businessAccountId}/message_templates?${q}`);
    const next = res?.paging?.next ? res?.paging?.cursors?.after : undefined;
    return { data: Array.isArray(res?.data) ? res.data : [], after: typeof next === 'string' && next ? next : null };
  }

  /**
   * `POST /{waba}/message_templates`: submits a new template for review ({name, language, category,
   * parameter_format?, components}). Meta answers its id and status (PENDING, or APPROVED/REJECTED at once).
   */
  async createTemplate(template: Record<string, unknown>): Promise<TemplateResult> {
    const res = await this.call('POST', `/${this.opts.businessAccountId}/message_templates`, template);
    if (res?.id == null) throw new WhatsAppApiError('Graph API answered without a template id', 200, null, null, null, null);
    return templateResult(res, String(res.id));
  }

  /** `POST /{template-id}`: edits a template's components or category; it goes back to review. */
  async editTemplate(templateId: string, change: { category?: string; components?: Array<Record<string, unknown>> }): Promise<TemplateResult> {
    const res = await this.call('POST', `/${encodeURIComponent(templateId)}`, change);
    return templateResult(res, templateId);
  }

  /** `DELETE /{waba}/message_templates?name=…`: every language of the name, or only the one with `hsmId` (Meta's template id). */
  async deleteTemplate(name: string, hsmId?: string): Promise<void> {
    const q = new URLSearchParams({ name });
    if (hsmId) q.set('hsm_id', hsmId);
    await this.call('DELETE', `/${this.opts.businessAccountId}/message_templates?${q}`);
  }

  /** `GET /{media-id}`: the short-lived download URL and Meta's mime type, sha256 and size. */
  async getMedia(mediaId: string): Promise<MediaInfo> {
    const res = await this.call('GET', `/${encodeURIComponent(mediaId)}?phone_number_id=${encodeURIComponent(this.opts.phoneNumberId)}`);
    if (typeof res?.url !== 'string') throw new WhatsAppApiError('Graph API answered without a media url', 200, null, null, null, null);
    const size = Number(res.file_size);
    return { id: String(res.id ?? mediaId), url: res.url, mimeType: res.mime_type ?? null, sha256: res.sha256 ?? null, fileSize: Number.isFinite(size) ? size : null };
  }

  /**
   * Downloads a media URL from {@link getMedia} with our bearer token. Resolves with the
   * response (status 2xx, body unread) so large files can be streamed; rejects with
   * WhatsAppApiError otherwise.
   */
  async downloadMedia(url: string, timeoutMs = 120_000): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${this.opts.token}` }, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      throw unreachable(err);
    }
    if (res.ok) return res;
    throw errorOf(res.status, res.headers.get('retry-after'), await res.text());
  }

  /** `POST /{phone-number-id}/media` (multipart: file, type, messaging_product). Returns Meta's media id (valid 30 days). */
  async uploadMedia(file: { bytes: Uint8Array; mimeType: string; filename?: string }, phoneNumberId = this.opts.phoneNumberId): Promise<string> {
    const form = new FormData(); // undici's: the body type its `request` takes
    form.set('messaging_product', 'whatsapp');
    form.set('type', file.mimeType);
    form.set('file', new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mimeType }), file.filename ?? 'file');
    const res = await this.call('POST', `/${phoneNumberId}/media`, form);
    if (typeof res?.id !== 'string') throw new WhatsAppApiError('Graph API answered without a media id', 200, null, null, null, null);
    return res.id;
  }

  /** Checks that the API answers with our credentials (used by health). */
  async ping(): Promise<void> {
    await this.call('GET', `/${this.opts.phoneNumberId}`);
  }

  /** Closes the keep-alive connections once the calls in flight have finished. */
  async close(): Promise<void> {
    await this.agent.close();
  }

  private async call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<any> {
    const url = `${this.opts.baseUrl}/${this.opts.version}${path}`;
    const form = body instanceof FormData;
    // The signal bounds reading the body too, not only the request.
    const signal = AbortSignal.timeout(this.opts.timeoutMs ?? 20_000);
    let res: Awaited<ReturnType<typeof request>>;
    try {
      res = await request(url, {
        dispatcher: this.agent,
        method,
        headers: { authorization: `Bearer ${this.opts.token}`, ...(body && !form ? { 'content-type': 'application/json' } : {}) },
        body: form ? body : body ? JSON.stringify(body) : undefined,
        signal,
      });
    } catch (err) {
      throw unreachable(err);
    }
    let text: string;
    try {
      text = await res.body.text(); // always read to the end, or the connection is not reused
    } catch (err) {
      throw unreachable(err, true); // the request was answered: it certainly arrived
    }
    let json: any;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    if (res.statusCode >= 200 && res.statusCode < 300 && json) return json;
    const retryAfter = res.headers['retry-after'];
    throw errorOf(res.statusCode, (Array.isArray(retryAfter) ? retryAfter.join(', ') : retryAfter) ?? null, text, json);
  }
}

function templateResult(res: any, id: string): TemplateResult {
  const text = (v: unknown) => (typeof v === 'string' && v ? v.toUpperCase() : null);
  return { id: String(res?.id ?? id), status: text(res?.status), category: text(res?.category) };
}

/**
 * Meta's OpenAPI description types a location's coordinates as strings; the inbox keeps them as
 * numbers (GraphQL Float, stored payload) up to here.
 */
function onTheWire(message: Record<string, unknown>): Record<string, unknown> {
  const l = message.location as Record<string, unknown> | undefined;
  if (message.type !== 'location' || !l) return message;
  return { ...message, location: { ...l, latitude: decimal(l.latitude), longitude: decimal(l.longitude) } };
}

/** A coordinate as a decimal string: `String()` would write exponents below 1e-6 (`1e-7`). */
function decimal(n: unknown): unknown {
  if (typeof n !== 'number') return n;
  return Math.abs(n) < 1e-6 ? n.toFixed(7) : String(n);
}

/**
 * A transport failure: undici's errors carry their code, fetch's ("fetch failed") carry it in `cause`.
 * Only a failure to connect (refused, no such host, connect timeout) proves the request never left.
 */
function unreachable(err: unknown, answered = false): WhatsAppApiError {
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  // A timeout is a DOMException, whose `code` is a number: no code, its message tells.
  const code = [e.code, e.cause?.code].find((c): c is string => typeof c === 'string');
  const notSent = !answered && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT');
  return new WhatsAppApiError(`Graph API unreachable: ${code ?? (err as Error).message}`, null, null, null, null, null, null, !notSent);
}

function errorOf(status: number, retryAfterHeader: string | null, text: string, json?: any): WhatsAppApiError {
  if (json === undefined) {
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = {};
    }
  }
  const e = json?.error ?? {};
  const retryAfter = Number(retryAfterHeader);
  return new WhatsAppApiError(
    e.message ?? `Graph API answered HTTP ${status}`,
    status,
    typeof e.code === 'number' ? e.code : null,
    e.error_user_title ?? titleOf(e.message) ?? null,
    e.error_data?.details ?? e.error_user_msg ?? null,
    Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
    e.fbtrace_id ?? null,
  );
}

/** "(#131047) Re-engagement message" → "Re-engagement message". */
function titleOf(message: unknown): string | null {
  if (typeof message !== 'string') return null;
  return message.replace(/^\(#\d+\)\s*/, '') || null;
}
