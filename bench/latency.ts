/**
 * End-to-end latency of the live path: one signed webhook POSTed to the app until the matching
 * `messageAdded` frame arrives on a graphql-ws subscription (store → inbox processor → transaction
 * → LISTEN/NOTIFY → subscription → websocket). Posts are sequential, one in flight at a time, over
 * one kept-alive connection (undici's Pool, as in queries.ts: Node's `fetch` adds about a millisecond
 * of its own to each request).
 */
import { performance } from 'node:perf_hooks';
import { createClient } from 'graphql-ws';
import { Pool } from 'undici';
import WebSocket from 'ws';
import { AUTH_TOKEN, textWebhook, WEBHOOK_PATH } from './payload.js';

export interface LatencyResult {
  samples: number[];
  /** Posts whose frame did not arrive within the per-post timeout. */
  missed: number;
}

/** Sends `count` webhooks one after the other and times each until its frame arrives. */
export async function measureFrameLatency(appUrl: string, opts: { count: number; tag: string; timeoutMs?: number }): Promise<LatencyResult> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const waiting = new Map<string, () => void>();
  const client = createClient({
    url: `${appUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${AUTH_TOKEN}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => undefined,
  });
  let failure: unknown;
  const unsubscribe = client.subscribe<{ messageAdded: { id: string; text: string | null } }>(
    { query: 'subscription { messageAdded { id text } }' },
    {
      next: (v) => {
        const text = v.data?.messageAdded.text;
        if (text) waiting.get(text)?.();
      },
      error: (err) => (failure = err),
      complete: () => undefined,
    },
  );
  const http = new Pool(appUrl, { connections: 1 });
  let seq = 0;
  /** Posts one webhook and resolves with ms until its frame, or undefined on timeout. */
  const once = async (): Promise<number | undefined> => {
    const i = seq++;
    const text = `latency ${opts.tag} ${i}`;
    const { body, signature } = textWebhook(`L${opts.tag}`, i, text);
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<boolean>((resolve) => {
      waiting.set(text, () => resolve(true));
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const t0 = performance.now();
    const res = await http.request({
      path: WEBHOOK_PATH,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': signature },
      body,
    });
    await res.body.arrayBuffer();
    if (res.statusCode !== 200) throw new Error(`webhook POST answered ${res.statusCode}`);
    const ok = await arrived;
    const ms = performance.now() - t0;
    clearTimeout(timer);
    waiting.delete(text);
    return ok ? ms : undefined;
  };
  try {
    // The subscription has no "subscribed" acknowledgement: probe until a frame comes back.
    let ready = false;
    for (let attempt = 0; attempt < 10 && !ready; attempt++) {
      if (failure) throw new Error(`subscription failed: ${JSON.stringify(failure)}`);
      ready = (await once()) !== undefined;
    }
    if (!ready) throw new Error('no messageAdded frame arrived for the warm-up posts');
    const samples: number[] = [];
    let missed = 0;
    for (let n = 0; n < opts.count; n++) {
      const ms = await once();
      if (ms === undefined) missed++;
      else samples.push(ms);
    }
    return { samples, missed };
  } finally {
    unsubscribe();
    await Promise.all([client.dispose(), http.close()]);
  }
}
