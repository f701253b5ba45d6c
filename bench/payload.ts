/**
 * Webhook bodies for the benchmark: Meta-shaped inbound text-message webhooks, each with its own
 * wamid and text so every POST is a distinct event, signed like Meta (`sha256=<hex>` HMAC).
 * Shared by the load generator (bench/load.ts) and the latency probe (bench/latency.ts).
 */
import { signBody } from '../server/src/webhook/webhook.signature.js';

export const APP_SECRET = 'bench-app-secret';
export const AUTH_TOKEN = 'bench-token';
export const PHONE_NUMBER_ID = '1122334455667';
export { WEBHOOK_PATH } from '../server/src/webhook/webhook.path.js';

/** Customers the generated messages come from (spread so contacts are many but repeat). */
const CUSTOMERS = 500;

export interface SignedBody {
  body: string;
  signature: string;
}

/** The `i`th inbound text webhook of run `tag`, with text `text` (default derived from tag and i). */
export function textWebhook(tag: string, i: number, text = `bench ${tag} ${i}`): SignedBody {
  const from = String(15550000000 + (i % CUSTOMERS));
  const id = `wamid.BENCH${tag}${i.toString(36)}`;
  const body = messagesWebhook({
    contacts: [{ profile: { name: `Customer ${i % CUSTOMERS}` }, wa_id: from }],
    messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body: text } }],
  });
  return { body, signature: signBody(body, APP_SECRET) };
}

/** The JSON of a Meta webhook with one `messages` change carrying `value` (contacts, messages or statuses). */
export function messagesWebhook(value: Record<string, unknown>): string {
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [{
      id: 'waba-bench',
      changes: [{
        field: 'messages',
        value: { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: PHONE_NUMBER_ID }, ...value },
      }],
    }],
  });
}
