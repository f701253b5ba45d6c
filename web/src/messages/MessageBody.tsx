import type { MouseEvent } from 'react';
import type { MessageBubble_MessageFragment as Msg } from '../gql/graphql';
import { mediaUrlExpired, useMediaSource } from './mediaUrl';
import { CATALOG_TYPES, SentCatalog } from './SentCatalog';
import { FlowAnswer, SentFlow } from './FlowsAndOrders';
import { TemplateCard } from './TemplateCard';

const MEDIA_LABEL: Record<string, string> = { IMAGE: 'Photo', VIDEO: 'Video', AUDIO: 'Audio', DOCUMENT: 'Document', STICKER: 'Sticker' };
const MEDIA_ICON: Record<string, string> = { IMAGE: '🖼️', VIDEO: '🎬', AUDIO: '🎵', DOCUMENT: '📄', STICKER: '🙂' };

type Json = Record<string, any>;
type Media = NonNullable<Msg['media']>;

/** 1234567 → "1.2 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['kB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}

/**
 * A media message: once downloaded (`url` set) the image, the player, or the document as a download
 * link; while downloading or after a failed download a placeholder; media we never download (sent
 * by us, or by link) keep the card with type, filename and mime type.
 */
function MediaBody({ messageId, type, media, caption, label }: { messageId: string; type: string; media: Media | null | undefined; caption: string | null | undefined; label: string }) {
  const card = (
    <div className="iw-media">
      <span className="iw-media-icon" aria-hidden="true">{MEDIA_ICON[type]}</span>
      <span className="iw-media-info">
        <span className="iw-media-label">{label}</span>
        {media?.filename && <span className="iw-media-file">{media.filename}</span>}
        {media?.mimeType && <span className="iw-media-mime">{media.mimeType}</span>}
      </span>
    </div>
  );
  if (media?.downloadStatus === 'PENDING') {
    return (
      <>
        <div className="iw-media-state" role="status" data-state="pending">Downloading…</div>
        {card}
      </>
    );
  }
  if (media?.downloadStatus === 'FAILED') {
    return <div className="iw-media-state" data-state="failed">Media unavailable <span className="iw-muted">({label.toLowerCase()})</span></div>;
  }
  if (!media?.url) return card;
  return <MediaFile messageId={messageId} url={media.url} type={type} media={media} caption={caption} label={label} />;
}

/**
 * A downloaded file shown or offered for download. Its URL is signed and short-lived: an image
 * scrolled to, a video played or a document clicked after it expired gets a fresh one from the API.
 */
function MediaFile({ messageId, url, type, media, caption, label }: { messageId: string; url: string; type: string; media: Media; caption: string | null | undefined; label: string }) {
  const { src, renew } = useMediaSource(messageId, url);
  // The element shows the fresh URL once it is rendered; renew() does nothing while the URL is valid.
  const onError = () => void renew();
  const onDownload = (e: MouseEvent<HTMLAnchorElement>) => {
    const a = e.currentTarget;
    if (!mediaUrlExpired(a.href)) return;
    e.preventDefault();
    void renew().then((fresh) => {
      if (!fresh) return;
      a.href = fresh; // the click goes on with the fresh URL; React renders the same one next
      a.click();
    });
  };
  switch (type) {
    case 'IMAGE':
    case 'STICKER':
      return <img className={type === 'STICKER' ? 'iw-media-img iw-media-sticker' : 'iw-media-img'} src={src} alt={caption || 'Image'} loading="lazy" decoding="async" onError={onError} />;
    case 'VIDEO':
      return <video className="iw-media-player" src={src} controls preload="metadata" aria-label={caption || label} onError={onError} />;
    case 'AUDIO':
      return <audio className="iw-media-player" src={src} controls preload="metadata" aria-label={label} onError={onError} />;
    default:
      return (
        <a className="iw-media iw-media-download" href={src} download={media.filename ?? ''} rel="noopener noreferrer" onClick={onDownload}>
          <span className="iw-media-icon" aria-hidden="true">{MEDIA_ICON[type]}</span>
          <span className="iw-media-info">
            <span className="iw-media-label">{media.filename ?? label}</span>
            <span className="iw-media-mime">
              Download{media.fileSize != null ? ` · ${formatBytes(media.fileSize)}` : ''}
            </span>
          </span>
        </a>
      );
  }
}
/** An interactive message we sent that has one action: a call-to-action URL button or a location request. */
function SentInteractive({ i }: { i: Json }) {
  const header = i.header?.text as string | undefined;
  const footer = i.footer?.text as string | undefined;
  const cta = i.type === 'cta_url' ? (i.action?.parameters as Json | undefined) : undefined;
  return (
    <div className="iw-sent-interactive">
      {header && <p className="iw-text"><strong>{header}</strong></p>}
      {i.body?.text && <p className="iw-text">{i.body.text}</p>}
      {footer && <p className="iw-muted">{footer}</p>}
      {cta ? (
        <p className="iw-text">
          <span aria-hidden="true">🔗 </span>
          {cta.display_text} →{' '}
          <a href={cta.url} target="_blank" rel="noopener noreferrer">{cta.url}</a>
        </p>
      ) : (
        <p><span className="iw-chip"><span aria-hidden="true">📍 </span>Location requested</span></p>
      )}
    </div>
  );
}

const part = (m: Msg, key: string): Json | undefined => (m.payload?.[key] as Json | undefined) ?? undefined;

/** The content of a bubble, by message type; media once downloaded shows the file itself (see MediaBody). */
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
      const label = m.type === 'AUDIO' && m.media?.voice ? 'Voice message' : m.type === 'STICKER' && m.media?.animated ? 'Animated sticker' : MEDIA_LABEL[m.type]!;
      return (
        <>
          <MediaBody messageId={m.id} type={m.type} media={m.media} caption={m.text} label={label} />
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
              <span className="iw-muted">Contact card: </span>
              <strong>{c.name?.formatted_name ?? [c.name?.first_name, c.name?.last_name].filter(Boolean).join(' ') ?? 'Contact'}</strong>
              {(c.phones as Json[] | undefined)?.map((p, j) => <div key={j}>{p.phone ?? p.wa_id}</div>)}
            </li>
          ))}
        </ul>
      );
    }
    case 'INTERACTIVE': {
      const i = part(m, 'interactive');
      const sent = i?.type === 'cta_url' || i?.type === 'location_request_message' ? <SentInteractive i={i} /> : null;
      if (sent) return sent;
      if (CATALOG_TYPES.includes(i?.type)) return <SentCatalog i={i!} />;
      if (i?.type === 'flow') return <SentFlow i={i} />;
      if (i?.nfm_reply) return <FlowAnswer reply={i.nfm_reply} text={m.text} />;
      const reply = i?.button_reply ?? i?.list_reply;
      const kind = i?.list_reply ? 'List reply' : i?.button_reply ? 'Button reply' : 'Interactive reply';
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
    case 'TEMPLATE': {
      // Header, footer and buttons as sent (`rendered`, kept by the server beside Meta's object).
      const r = part(m, 'rendered');
      if (r) return <TemplateCard view={{ header: r.header, body: m.text ?? '', footer: r.footer, buttons: r.buttons }} />;
      return text ?? <p className="iw-text">Template “{part(m, 'template')?.name ?? 'message'}”</p>;
    }
    case 'ORDER':
      // The server keeps the order's items and total as its text ("🛒 Order: 2 × … — total 59.97 EUR").
      return text ?? <p className="iw-text">🛒 Order</p>;
    default:
      return (
        <p className="iw-text iw-muted">
          Unsupported message{m.waType ? ` (${m.waType})` : ''}: it can’t be shown here yet.
        </p>
      );
  }
}
