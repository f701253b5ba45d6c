import type { MessageBubble_MessageFragment as Msg } from '../gql/graphql';

const MEDIA_LABEL: Record<string, string> = { IMAGE: 'Photo', VIDEO: 'Video', AUDIO: 'Audio', DOCUMENT: 'Document', STICKER: 'Sticker' };
const MEDIA_ICON: Record<string, string> = { IMAGE: '🖼️', VIDEO: '🎬', AUDIO: '🎵', DOCUMENT: '📄', STICKER: '🙂' };

type Json = Record<string, any>;
const part = (m: Msg, key: string): Json | undefined => (m.payload?.[key] as Json | undefined) ?? undefined;

/** The content of a bubble, by message type. Media shows type, caption and filename (no download URLs yet). */
export function MessageBody({ message: m }: { message: Msg }) {
  const text = m.text ? <p className="iw-text">{m.text}</p> : null;
  switch (m.type) {
    case 'TEXT':
      return text ?? <p className="iw-text iw-muted">(empty message)</p>;
    case 'IMAGE':
    case 'VIDEO':
    case 'AUDIO':
    case 'DOCUMENT':
    case 'STICKER': {
      const label = m.type === 'AUDIO' && m.media?.voice ? 'Voice message' : m.type === 'STICKER' && m.media?.animated ? 'Animated sticker' : MEDIA_LABEL[m.type];
      return (
        <>
          <div className="iw-media">
            <span className="iw-media-icon" aria-hidden="true">{MEDIA_ICON[m.type]}</span>
            <span className="iw-media-info">
              <span className="iw-media-label">{label}</span>
              {m.media?.filename && <span className="iw-media-file">{m.media.filename}</span>}
              {m.media?.mimeType && <span className="iw-media-mime">{m.media.mimeType}</span>}
            </span>
          </div>
          {text}
        </>
      );
    }
    case 'LOCATION': {
      const l = m.location;
      if (!l) return <p className="iw-text">📍 Location</p>;
      const href = `https://www.openstreetmap.org/?mlat=${l.latitude}&mlon=${l.longitude}#map=16/${l.latitude}/${l.longitude}`;
      return (
        <div className="iw-location">
          <span aria-hidden="true">📍 </span>
          <strong>{l.name ?? 'Location'}</strong>
          {l.address && <div>{l.address}</div>}
          <a href={href} target="_blank" rel="noopener noreferrer">
            {l.latitude.toFixed(5)}, {l.longitude.toFixed(5)}
          </a>
        </div>
      );
    }
    case 'CONTACTS': {
      const cards = (m.payload?.contacts as Json[] | undefined) ?? [];
      return (
        <ul className="iw-cards" aria-label="Shared contacts">
          {cards.length === 0 && <li>Shared contact</li>}
          {cards.map((c, i) => (
            <li key={i}>
              <span aria-hidden="true">👤 </span>
              <strong>{c.name?.formatted_name ?? [c.name?.first_name, c.name?.last_name].filter(Boolean).join(' ') ?? 'Contact'}</strong>
              {(c.phones as Json[] | undefined)?.map((p, j) => <div key={j}>{p.phone ?? p.wa_id}</div>)}
            </li>
          ))}
        </ul>
      );
    }
    case 'INTERACTIVE': {
      const i = part(m, 'interactive');
      const reply = i?.button_reply ?? i?.list_reply;
      const kind = i?.list_reply ? 'List reply' : i?.button_reply ? 'Button reply' : i?.nfm_reply ? 'Form reply' : 'Interactive reply';
      return (
        <div className="iw-reply-choice">
          <span className="iw-chip">{kind}</span>
          <p className="iw-text">{m.text ?? reply?.title ?? '—'}</p>
          {reply?.description && <p className="iw-muted">{reply.description}</p>}
        </div>
      );
    }
    case 'BUTTON':
      return (
        <div className="iw-reply-choice">
          <span className="iw-chip">Button</span>
          <p className="iw-text">{m.text ?? part(m, 'button')?.text ?? '—'}</p>
        </div>
      );
    case 'REACTION':
      return <p className="iw-text">{m.reaction?.emoji ? `Reacted ${m.reaction.emoji}` : 'Removed a reaction'}</p>;
    case 'TEMPLATE':
      return text ?? <p className="iw-text">Template “{part(m, 'template')?.name ?? 'message'}”</p>;
    case 'ORDER': {
      const items = (part(m, 'order')?.product_items as unknown[] | undefined)?.length ?? 0;
      return (
        <div>
          <p className="iw-text"><span aria-hidden="true">🛒 </span>Order · {items} item{items === 1 ? '' : 's'}</p>
          {text}
        </div>
      );
    }
    default:
      return (
        <p className="iw-text iw-muted">
          Unsupported message{m.waType ? ` (${m.waType})` : ''}: it can’t be shown here yet.
        </p>
      );
  }
}
