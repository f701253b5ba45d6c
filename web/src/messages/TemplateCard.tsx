type Json = Record<string, any>;

/** A template's parts as the customer sees them: the shape of a sent template's `payload.rendered`. */
export interface TemplateView {
  /** `{ format: 'TEXT', text }`, or `{ format: 'IMAGE' | 'VIDEO' | 'DOCUMENT', link?, id?, filename? }`. */
  header?: Json;
  body: string;
  footer?: string;
  /** `{ type, text, url?, payload?, code? }` each. */
  buttons?: Json[];
}

const ICONS: Record<string, string> = { IMAGE: '🖼️ Image', VIDEO: '🎬 Video', DOCUMENT: '📄 Document', URL: '🔗 ', COPY_CODE: '📋 ', QUICK_REPLY: '↩ ' };

/** A link when it is an https URL with nothing left to fill; the text otherwise. */
const link = (url: string) => (/^https:\/\/[^\s{]+$/.test(url) ? <a href={url} target="_blank" rel="noopener noreferrer">{url}</a> : url);

/** A template as the customer sees it: header (its text, or which media from where), body, footer, and each button with what it carries. */
export function TemplateCard({ view: { header: h, body, footer, buttons = [] } }: { view: TemplateView }) {
  return (
    <div className="iw-template-card">
      {h?.format === 'TEXT' ? (
        <p className="iw-text"><strong>{h.text}</strong></p>
      ) : h && (
        <p className="iw-template-media">
          {ICONS[h.format]} header{h.filename && ` · ${h.filename}`}: {h.link ? link(h.link) : h.id ? `media ${h.id}` : 'link needed'}
        </p>
      )}
      <p className="iw-text">{body}</p>
      {footer && <p className="iw-muted">{footer}</p>}
      {buttons.length > 0 && (
        <ul className="iw-template-buttons" aria-label="Buttons">
          {buttons.map((b, i) => (
            <li key={i}>
              {ICONS[b.type]}
              {b.text}
              {b.url && <> → {link(b.url)}</>}
              {b.type === 'COPY_CODE' && `: ${b.code || '…'}`}
              {b.payload && ` · payload ${b.payload}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
