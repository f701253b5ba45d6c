type Json = Record<string, any>;

/**
 * A customer's answer to a Flow (or an address form). The server keeps its readable summary as the
 * message's text ("Flow answer: Date — 2026-12-24; Guests — 4"); the chip says what it is.
 */
export function FlowAnswer({ reply, text }: { reply: Json; text: string | null | undefined }) {
  const label = reply.name === 'address_message' ? 'Address' : 'Flow answer';
  return (
    <div className="iw-reply-choice">
      <span className="iw-chip"><span aria-hidden="true">📋 </span>{label}</span>
      <p className="iw-text">{text?.replace(/^(Flow answer|Address): /, '') ?? reply.body ?? '—'}</p>
    </div>
  );
}

/** A Flow message we sent: header, body and footer, and which Flow its button opens. */
export function SentFlow({ i }: { i: Json }) {
  const p: Json = i.action?.parameters ?? {};
  return (
    <div className="iw-sent-interactive">
      {i.header?.text && <p className="iw-text"><strong>{i.header.text}</strong></p>}
      {i.body?.text && <p className="iw-text">{i.body.text}</p>}
      {i.footer?.text && <p className="iw-muted">{i.footer.text}</p>}
      <p>
        <span className="iw-chip"><span aria-hidden="true">📋 </span>Flow: {p.flow_name ?? `#${p.flow_id}`} → {p.flow_cta}</span>
        {p.mode === 'draft' && <span className="iw-muted"> (draft)</span>}
      </p>
    </div>
  );
}
