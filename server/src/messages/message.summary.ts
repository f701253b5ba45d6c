/**
 * Readable one-line summaries of inbound messages whose content is structured: a Flow's answers
 * (`interactive` `nfm_reply`) and an order from the catalog. They become the message's `text`, which
 * the contact list's preview and search read.
 */

type Json = Record<string, any>;

/** "screen_0_First_name_0" → "First name", "comment_text" → "Comment text", "numberOfGuests" → "Number of guests". */
export function humanizeKey(key: string): string {
  // Flows built in Meta's builder name fields after their screen and position; neither helps a reader.
  const bare = key.replace(/^screen_\d+_/i, '').replace(/_\d+$/, '');
  const words = bare.replace(/([a-z\d])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

/** An answer as a reader wants it: lists joined, yes/no for booleans. */
function answerText(v: unknown): string {
  if (Array.isArray(v)) return v.map(answerText).join(', ');
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** The answers of a Flow's `response_json`, in order, without its `flow_token`; null when it is no JSON object. */
export function flowAnswers(responseJson: unknown): Array<[string, string]> | null {
  if (typeof responseJson !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(responseJson);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  return Object.entries(parsed as Json)
    .filter(([k, v]) => k !== 'flow_token' && v !== null && v !== '')
    .map(([k, v]) => [humanizeKey(k), answerText(v)]);
}

/** "Flow answer: Date — 2026-12-24; Guests — 4" (an address form: "Address: …"). */
export function nfmReplySummary(r: Json): string {
  const label = r.name === 'address_message' ? 'Address' : 'Flow answer';
  const answers = flowAnswers(r.response_json);
  if (!answers) return typeof r.body === 'string' && r.body ? `${label}: ${r.body}` : label;
  return answers.length ? `${label}: ${answers.map(([k, v]) => `${k} — ${v}`).join('; ')}` : `${label} (no answers)`;
}

/** 59.970000000000006 → "59.97", 30 → "30". */
const amount = (n: number): string => String(Math.round(n * 100) / 100);

/** "🛒 Order: 2 × Blue shirt (SKU123) 19.99 EUR, 1 × SKU9 5 EUR — total 44.98 EUR", and the customer's note. */
export function orderSummary(o: Json): string {
  const items: Json[] = Array.isArray(o.product_items) ? o.product_items : [];
  const totals = new Map<string, number>();
  const lines = items.map((it) => {
    const quantity = Number(it.quantity ?? 1);
    const price = Number(it.item_price);
    const currency = typeof it.currency === 'string' ? it.currency : '';
    // Meta's order items carry no product name; one given (by a test or another source) is shown before the SKU.
    const name = typeof it.name === 'string' && it.name ? `${it.name} (${it.product_retailer_id})` : String(it.product_retailer_id ?? '?');
    if (Number.isFinite(price)) totals.set(currency, (totals.get(currency) ?? 0) + quantity * price);
    return `${quantity} × ${name}${Number.isFinite(price) ? ` ${amount(price)}${currency ? ` ${currency}` : ''}` : ''}`;
  });
  const total = [...totals].map(([c, n]) => `${amount(n)}${c ? ` ${c}` : ''}`).join(' + ');
  const note = typeof o.text === 'string' && o.text.trim() ? ` — “${o.text.trim()}”` : '';
  return `🛒 Order: ${lines.join(', ') || 'no items'}${total ? ` — total ${total}` : ''}${note}`;
}
