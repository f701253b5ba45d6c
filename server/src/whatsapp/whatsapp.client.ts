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

export interface SendResult {
  waMessageId: string;
  messageStatus: string;
  waId?: string;
  userId?: string;
}

export interface WhatsAppClientOptions {
  baseUrl: string;
  version: string;
  token: string;
  phoneNumberId: string;
  businessAccountId: string;
  timeoutMs?: number;
}

/** The one Graph API client. Every call to Meta goes through it, so the base URL decides who plays Meta. */
export class WhatsAppClient {
  constructor(private readonly opts: WhatsAppClientOptions) {}

  get phoneNumberId(): string {
    return this.opts.phoneNumberId;
  }

  /** POST /{phone-number-id}/messages with a message object (`to` or `recipient`, `type`, ...). */
  async sendMessage(message: Record<string, unknown>, phoneNumberId = this.opts.phoneNumberId): Promise<SendResult> {
    const res = await this.call('POST', `/${phoneNumberId}/messages`, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      ...message,
    });
    const id = res?.messages?.[0]?.id;
    if (typeof id !== 'string') throw new WhatsAppApiError('Graph API answered without a message id', 200, null, null, null, null);
    return { waMessageId: id, messageStatus: res.messages[0].message_status ?? 'accepted', waId: res.contacts?.[0]?.wa_id, userId: res.contacts?.[0]?.user_id };
  }

  /** Marks a received message (and all earlier ones in the chat) as read. */
  async markRead(waMessageId: string, phoneNumberId = this.opts.phoneNumberId): Promise<void> {
    await this.call('POST', `/${phoneNumberId}/messages`, { messaging_product: 'whatsapp', status: 'read', message_id: waMessageId });
  }

  /** Checks that the API answers with our credentials (used by health). */
  async ping(): Promise<void> {
    await this.call('GET', `/${this.opts.phoneNumberId}`);
  }

  private async call(method: string, path: string, body?: unknown): Promise<any> {
    const url = `${this.opts.baseUrl}/${this.opts.version}${path}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { authorization: `Bearer ${this.opts.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 20_000),
      });
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      const notSent = code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'UND_ERR_CONNECT_TIMEOUT';
      throw new WhatsAppApiError(`Graph API unreachable: ${code ?? (err as Error).message}`, null, null, null, null, null, null, !notSent);
    }
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      json = undefined;
    }
    if (res.ok && json) return json;
    const e = json?.error ?? {};
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new WhatsAppApiError(
      e.message ?? `Graph API answered HTTP ${res.status}`,
      res.status,
      typeof e.code === 'number' ? e.code : null,
      e.error_user_title ?? titleOf(e.message) ?? null,
      e.error_data?.details ?? null,
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null,
      e.fbtrace_id ?? null,
    );
  }
}

/** "(#131047) Re-engagement message" → "Re-engagement message". */
function titleOf(message: unknown): string | null {
  if (typeof message !== 'string') return null;
  return message.replace(/^\(#\d+\)\s*/, '') || null;
}
