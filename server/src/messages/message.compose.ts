import { AppError } from '../errors.js';
import { MessageType } from './message.enums.js';
import { LIMITS, MEDIA_RULES } from '../whatsapp/whatsapp.limits.js';
import type { SendMessageInput } from './send.input.js';
import { bad, checkLength, nonBlank, textParts } from './message.compose.checks.js';
import { contacts, ctaUrl, locationRequest } from './message.compose.kinds.js';
import { catalog, product, productList } from './message.compose.catalog.js';
import { flow } from './message.compose.flow.js';
import { template } from './message.compose.template.js';
import type { TemplateParts } from '../templates/template.components.js';

/** A validated outbound message: what we store and what the Graph API gets under `[waType]`. */
export interface Composed {
  type: MessageType;
  waType: string;
  /** What an agent reads: text, caption, body, emoji, rendered template. */
  text: string | null;
  payload: Record<string, unknown>;
  /** Free-form messages need an open 24-hour window; templates do not. */
  needsWindow: boolean;
}

/** What composing a template send needs to know of the synced template. */
export interface TemplateInfo {
  status: string;
  /** Placeholders are names ({{first_name}}) rather than positions ({{1}}). */
  named: boolean;
  /** Placeholders of a text header and of the body, in order. */
  header: string[];
  body: string[];
  bodyText?: string | null;
  /** Its header format, footer and buttons. */
  parts: TemplateParts;
}

/** What compose() reads from the database. */
export interface ComposeLookups {
  /** The wamid of one of our stored messages (to react to), or null. */
  waMessageIdOf(messageId: string): Promise<string | null>;
  /** The template as last synced from Meta, or null when unknown. */
  template(name: string, language: string): Promise<TemplateInfo | null>;
}


/** Checks a send against Meta's rules before Meta sees it, and builds its Graph API object. */
export async function compose(input: SendMessageInput, lookups: ComposeLookups): Promise<Composed> {
  const kinds = (['media', 'location', 'reaction', 'interactive', 'ctaUrl', 'contacts', 'locationRequest', 'product', 'productList', 'catalog', 'flow', 'template'] as const).filter((k) => input[k] != null);
  if (kinds.length > 1) bad(`give only one of ${kinds.join(', ')}`);
  const kind = kinds[0];
  if (kind && kind !== 'media' && input.text != null) bad(`text cannot be combined with ${kind}`, 'text');

  if (!kind) {
    const text = input.text ?? '';
    if (!text.trim()) bad('text must not be empty', 'text');
    checkLength(text, LIMITS.text, 'text');
    return { type: MessageType.TEXT, waType: 'text', text, payload: { text: { body: text, preview_url: !!input.previewUrl } }, needsWindow: true };
  }
  if (kind === 'media') {
    const m = input.media!;
    const waType = m.kind.toLowerCase();
    const caption = m.caption ?? input.text ?? undefined;
    if (!m.id === !m.link) bad('media needs exactly one of id or link', 'media');
    if (m.link && !/^https:\/\/\S+$/.test(m.link)) bad('media.link must be an https URL', 'media.link');
    if (caption != null && (m.kind === 'AUDIO' || m.kind === 'STICKER')) bad(`${waType} messages have no caption`, 'media.caption');
    checkLength(caption, LIMITS.caption, 'caption');
    if (m.filename != null && m.kind !== 'DOCUMENT') bad('only documents have a filename', 'media.filename');
    const rule = MEDIA_RULES[m.kind];
    if (m.mimeType != null && !rule.types.includes(m.mimeType.toLowerCase())) bad(`${m.mimeType} is not accepted for ${waType}; use ${rule.types.join(', ')}`, 'media.mimeType');
    if (m.sizeBytes != null && m.sizeBytes > rule.maxBytes) bad(`${waType} larger than ${Math.round(rule.maxBytes / 1024)} KB`, 'media.sizeBytes');
    const obj = { ...(m.id ? { id: m.id } : { link: m.link }), ...(caption != null ? { caption } : {}), ...(m.filename ? { filename: m.filename } : {}) };
    return { type: m.kind as unknown as MessageType, waType, text: caption ?? null, payload: { [waType]: obj }, needsWindow: true };
  }
  if (kind === 'location') {
    const l = input.location!;
    if (!(Math.abs(l.latitude) <= 90) || !(Math.abs(l.longitude) <= 180)) bad('latitude must be within ±90 and longitude within ±180', 'location');
    checkLength(l.name, 1000, 'location.name');
    checkLength(l.address, 1000, 'location.address');
    return { type: MessageType.LOCATION, waType: 'location', text: l.name ?? l.address ?? null, payload: { location: { ...l } }, needsWindow: true };
  }
  if (kind === 'reaction') {
    const r = input.reaction!;
    if ([...r.emoji].length > 10) bad('reaction.emoji must be one emoji (or empty to remove)', 'reaction.emoji');
    const target = await lookups.waMessageIdOf(r.messageId);
    if (!target) throw new AppError('NOT_FOUND', `no message ${r.messageId} known to WhatsApp to react to`);
    return { type: MessageType.REACTION, waType: 'reaction', text: r.emoji || null, payload: { reaction: { message_id: target, emoji: r.emoji } }, needsWindow: true };
  }
  if (kind === 'interactive') return { ...interactive(input.interactive!), needsWindow: true };
  if (kind === 'ctaUrl') return { ...ctaUrl(input.ctaUrl!), needsWindow: true };
  if (kind === 'contacts') return { ...contacts(input.contacts!), needsWindow: true };
  if (kind === 'locationRequest') return { ...locationRequest(input.locationRequest!), needsWindow: true };
  if (kind === 'product') return { ...product(input.product!), needsWindow: true };
  if (kind === 'productList') return { ...productList(input.productList!), needsWindow: true };
  if (kind === 'catalog') return { ...catalog(input.catalog!), needsWindow: true };
  if (kind === 'flow') return { ...flow(input.flow!), needsWindow: true };
  return template(input.template!, lookups);
}

function interactive(i: NonNullable<SendMessageInput['interactive']>): Omit<Composed, 'needsWindow'> {
  nonBlank(i.body, 'interactive.body');
  checkLength(i.body, LIMITS.body, 'interactive.body');
  checkLength(i.header, LIMITS.header, 'interactive.header');
  checkLength(i.footer, LIMITS.footer, 'interactive.footer');
  if (!i.buttons === !i.sections) bad('interactive needs exactly one of buttons or sections', 'interactive');
  const common = textParts(i.header, i.body, i.footer);
  let obj: Record<string, unknown>;
  if (i.buttons) {
    if (i.buttons.length < 1 || i.buttons.length > LIMITS.buttons) bad(`between 1 and ${LIMITS.buttons} buttons`, 'interactive.buttons');
    for (const b of i.buttons) checkLength(b.title, LIMITS.buttonTitle, 'button title');
    if (new Set(i.buttons.map((b) => b.id)).size !== i.buttons.length) bad('button ids must be unique', 'interactive.buttons');
    obj = { type: 'button', ...common, action: { buttons: i.buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })) } };
  } else {
    const rows = i.sections!.flatMap((s) => s.rows);
    if (!i.listButton?.trim()) bad('a list needs listButton', 'interactive.listButton');
    checkLength(i.listButton, LIMITS.listButton, 'interactive.listButton');
    if (i.sections!.length < 1 || i.sections!.length > LIMITS.sections) bad(`between 1 and ${LIMITS.sections} sections`, 'interactive.sections');
    if (rows.length < 1 || rows.length > LIMITS.rows) bad(`between 1 and ${LIMITS.rows} rows in all`, 'interactive.sections');
    if (i.sections!.length > 1 && i.sections!.some((s) => !s.title)) bad('every section needs a title when there are several', 'interactive.sections');
    for (const s of i.sections!) checkLength(s.title, LIMITS.rowTitle, 'section title');
    for (const r of rows) {
      checkLength(r.title, LIMITS.rowTitle, 'row title');
      checkLength(r.description, LIMITS.rowDescription, 'row description');
    }
    obj = { type: 'list', ...common, action: { button: i.listButton, sections: i.sections } };
  }
  return { type: MessageType.INTERACTIVE, waType: 'interactive', text: i.body, payload: { interactive: obj } };
}
