type Json = Record<string, any>;

/** "screen_0_First_name_0" → "First name", "comment_text" → "Comment text", "numberOfGuests" → "Number of guests" (as the server's summary). */
export function humanizeKey(key: string): string {
  const bare = key.replace(/^screen_\d+_/i, '').replace(/_\d+$/, '');
  const words = bare.replace(/([a-z\d])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' ').trim().toLowerCase();
  return words ? words[0]!.toUpperCase() + words.slice(1) : key;
}

const answerText = (v: unknown): string =>
  Array.isArray(v) ? v.map(answerText).join(', ') : typeof v === 'boolean' ? (v ? 'Yes' : 'No') : v !== null && typeof v === 'object' ? JSON.stringify(v) : String(v);

/** A Flow's answers from its `response_json`, without the token; null when it cannot be read. */
function flowAnswers(responseJson: unknown): Array<[string, string]> | null {
  try {
    const parsed: unknown = typeof responseJson === 'string' ? JSON.parse(responseJson) : null;
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
    return Object.entries(parsed as Json).filter(([k, v]) => k !== 'flow_token' && v !== null && v !== '').map(([k, v]) => [humanizeKey(k), answerText(v)]);
  } catch {
    return null;
  }
}

/** A customer's answer to a Flow (or an address form): one line per answer; the stored text when it cannot be read. */
export function FlowAnswer({ reply, text }: { reply: Json; text: string | null | undefined }) {
  const answers = flowAnswers(reply.response_json);
  const label = reply.name === 'address_message' ? 'Address' : 'Flow answer';
  return (
    <div className="iw-reply-choice">
      <span className="iw-chip"><span aria-hidden="true">📋 </span>{label}</span>
      {answers ? (
        <ul className="iw-answers" aria-label={label}>
          {answers.length === 0 && <li className="iw-muted">No answers</li>}
          {answers.map(([k, v], n) => (
            <li key={n}><span className="iw-muted">{k} — </span>{v}</li>
          ))}
        </ul>
      ) : (
        <p className="iw-text">{text ?? reply.body ?? '—'}</p>
      )}
    </div>
  );
}

const amount = (n: number): string => String(Math.round(n * 100) / 100);

/** An order from the catalog: its items at their unit prices, the total per currency, the customer's note. */
export function OrderBody({ order }: { order: Json | undefined }) {
  const items: Json[] = Array.isArray(order?.product_items) ? order.product_items : [];
  const totals = new Map<string, number>();
  for (const it of items) {
    const price = Number(it.item_price);
    if (Number.isFinite(price)) totals.set(it.currency ?? '', (totals.get(it.currency ?? '') ?? 0) + Number(it.quantity ?? 1) * price);
  }
  const note = typeof order?.text === 'string' ? order.text.trim() : '';
  return (
    <div className="iw-order">
      <p className="iw-text"><span aria-hidden="true">🛒 </span><strong>Order</strong>{items.length === 0 && ' (no items)'}</p>
      <ul className="iw-answers" aria-label="Order items">
        {items.map((it, n) => (
          <li key={n}>
            {Number(it.quantity ?? 1)} × {it.name ? `${it.name} (${it.product_retailer_id})` : String(it.product_retailer_id ?? '?')}
            {Number.isFinite(Number(it.item_price)) && <span className="iw-muted"> {amount(Number(it.item_price))} {it.currency}</span>}
          </li>
        ))}
      </ul>
      {totals.size > 0 && <p className="iw-text">Total {[...totals].map(([c, n]) => `${amount(n)} ${c}`.trim()).join(' + ')}</p>}
      {note && <p className="iw-muted">“{note}”</p>}
    </div>
  );
}

/** A Flow message we sent: header, body and footer, and which Flow its button opens. */
export function SentFlow({ i }: { i: Json }) {
  const p: Json = i.action?.parameters ?? {};
  const flow = p.flow_name ?? (p.flow_id ? `#${p.flow_id}` : 'Flow');
  return (
    <div className="iw-sent-interactive">
      {i.header?.text && <p className="iw-text"><strong>{i.header.text}</strong></p>}
      {i.body?.text && <p className="iw-text">{i.body.text}</p>}
      {i.footer?.text && <p className="iw-muted">{i.footer.text}</p>}
      <p>
        <span className="iw-chip"><span aria-hidden="true">📋 </span>Flow: {flow} → {p.flow_cta}</span>
        {p.mode === 'draft' && <span className="iw-muted"> (draft)</span>}
      </p>
    </div>
  );
}
