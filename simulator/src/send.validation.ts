import { fail } from './meta-errors.js';
import { validateTemplate } from './send.template.js';
import { validateFlow } from './flows.js';
import type { SimTemplate } from './types.js';

/** What a valid send body resolves to. */
export interface ValidSend {
  to: string;
  toIsUserId: boolean;
  type: string;
  templateCategory?: string;
}

const MEDIA = ['image', 'video', 'audio', 'document', 'sticker'];
const TYPES = [...MEDIA, 'text', 'location', 'contacts', 'reaction', 'template', 'interactive'];

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** Meta's description types coordinates as strings, its own examples send numbers: both are taken. */
const isCoordinate = (v: unknown): boolean =>
  (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)));

/** Validates a send body like Meta does (the common cases); throws a `MetaError` otherwise. */
export function validateSend(body: unknown, templates: SimTemplate[]): ValidSend {
  if (!isObj(body)) fail(100, 'The request body must be a JSON object.');
  if (body.messaging_product === undefined) fail(131008, 'The parameter messaging_product is required.');
  if (body.messaging_product !== 'whatsapp') {
    fail(100, `Param messaging_product must be one of {WHATSAPP} - got "${String(body.messaging_product)}".`);
  }
  if (body.recipient_type !== undefined && !['individual', 'group'].includes(String(body.recipient_type))) {
    fail(100, 'Param recipient_type must be one of {INDIVIDUAL, GROUP}.');
  }
  const toIsUserId = body.to === undefined && body.recipient !== undefined;
  const to = toIsUserId ? body.recipient : body.to;
  if (!nonEmpty(to)) fail(131008, 'The parameter to is required.');
  if (!toIsUserId && !/\d/.test(to)) fail(100, `Param to "${to}" is not a valid phone number.`);
  const cb = body.biz_opaque_callback_data;
  if (cb !== undefined && (typeof cb !== 'string' || cb.length > 512)) {
    fail(100, 'Param biz_opaque_callback_data must be a string of at most 512 characters.');
  }
  const type = body.type;
  if (!nonEmpty(type)) fail(131008, 'The parameter type is required.');
  if (!TYPES.includes(type)) fail(131009, `Param type "${type}" is not a supported message type.`);
  const obj = body[type];
  if (type === 'contacts') {
    if (!Array.isArray(obj) || obj.length === 0) fail(131008, 'The parameter contacts is required.');
    validateContacts(obj);
    return { to, toIsUserId, type };
  }
  if (!isObj(obj)) fail(131008, `The parameter ${type} is required.`);
  let templateCategory: string | undefined;
  if (type === 'text') validateText(obj);
  else if (MEDIA.includes(type)) validateMedia(type, obj);
  else if (type === 'template') templateCategory = validateTemplate(obj, templates);
  else if (type === 'reaction' && typeof obj.message_id !== 'string') {
    fail(131008, "The parameter reaction['message_id'] is required.");
  } else if (type === 'location' && (!isCoordinate(obj.latitude) || !isCoordinate(obj.longitude))) {
    fail(131008, "The parameters location['latitude'] and location['longitude'] are required.");
  } else if (type === 'interactive') validateInteractive(obj);
  return { to, toIsUserId, type, templateCategory };
}

function validateInteractive(i: Record<string, unknown>): void {
  if (!nonEmpty(i.type) || !isObj(i.action)) fail(131008, "The parameters interactive['type'] and interactive['action'] are required.");
  const body = isObj(i.body) ? i.body.text : undefined;
  if (typeof body === 'string' && body.length > 1024) fail(100, "Param interactive['body']['text'] must be at most 1024 characters long.");
  const action = i.action;
  if (i.type === 'cta_url') {
    const p = isObj(action.parameters) ? action.parameters : {};
    if (!nonEmpty(body) || action.name !== 'cta_url' || !nonEmpty(p.display_text) || !nonEmpty(p.url)) {
      fail(131008, "The parameters interactive['body'], interactive['action']['name'] = cta_url and its parameters display_text and url are required.");
    }
    if (p.display_text.length > 20) fail(100, "Param interactive['action']['parameters']['display_text'] must be at most 20 characters long.");
    if (!/^https?:\/\//i.test(p.url)) fail(100, "Param interactive['action']['parameters']['url'] must be a valid URL.");
  } else if (i.type === 'product' || i.type === 'product_list' || i.type === 'catalog_message') {
    validateCatalogKinds(i, action, body);
  } else if (i.type === 'flow') {
    validateFlow(i, action);
  } else if (i.type === 'location_request_message') {
    if (!nonEmpty(body) || action.name !== 'send_location') {
      fail(131008, "The parameters interactive['body'] and interactive['action']['name'] = send_location are required.");
    }
  }
}

/** Products and the catalog (Meta's product, product_list and catalog_message interactive types). */
function validateCatalogKinds(i: Record<string, unknown>, action: Record<string, unknown>, body: unknown): void {
  if (typeof (isObj(i.footer) ? i.footer.text : undefined) === 'string' && (i.footer as { text: string }).text.length > 60) {
    fail(100, "Param interactive['footer']['text'] must be at most 60 characters long.");
  }
  if (i.type === 'catalog_message') {
    if (!nonEmpty(body) || action.name !== 'catalog_message') fail(131008, "The parameters interactive['body'] and interactive['action']['name'] = catalog_message are required.");
    return;
  }
  if (!nonEmpty(action.catalog_id)) fail(131008, "The parameter interactive['action']['catalog_id'] is required.");
  if (i.type === 'product') {
    if (i.header !== undefined) fail(100, "Param interactive['header'] cannot be set for product messages.");
    if (!nonEmpty(action.product_retailer_id)) fail(131008, "The parameter interactive['action']['product_retailer_id'] is required.");
    return;
  }
  const header = isObj(i.header) ? i.header : {};
  if (header.type !== 'text' || !nonEmpty(header.text) || !nonEmpty(body)) fail(131008, "The parameters interactive['header'] (text) and interactive['body'] are required.");
  const sections = action.sections;
  if (!Array.isArray(sections) || sections.length === 0) fail(131008, "The parameter interactive['action']['sections'] is required.");
  if (sections.length > 10) fail(100, "Param interactive['action']['sections'] must have at most 10 elements.");
  let products = 0;
  for (const s of sections) {
    const items = isObj(s) && Array.isArray(s.product_items) ? s.product_items : [];
    if (!isObj(s) || !nonEmpty(s.title) || items.length === 0) fail(131008, "Each of interactive['action']['sections'] requires a title and product_items.");
    if (s.title.length > 24) fail(100, "Param interactive['action']['sections']['title'] must be at most 24 characters long.");
    if (!items.every((p) => isObj(p) && nonEmpty(p.product_retailer_id))) fail(131008, "The parameter product_items['product_retailer_id'] is required.");
    products += items.length;
  }
  if (products > 30) fail(131009, `A product list can hold at most 30 products, got ${products}.`);
}

function validateContacts(cards: unknown[]): void {
  cards.forEach((c, i) => {
    if (!isObj(c) || !isObj(c.name) || !nonEmpty(c.name.formatted_name)) fail(131008, `The parameter contacts[${i}]['name']['formatted_name'] is required.`);
    const phones = Array.isArray(c.phones) ? c.phones : [];
    for (const p of phones) {
      if (!isObj(p) || !nonEmpty(p.phone)) fail(131008, `The parameter contacts[${i}]['phones']['phone'] is required.`);
      if (p.type !== undefined && !['HOME', 'WORK'].includes(String(p.type))) fail(100, `Param contacts[${i}]['phones']['type'] must be one of {HOME, WORK}.`);
    }
  });
}

function validateText(text: Record<string, unknown>): void {
  if (!nonEmpty(text.body)) fail(131008, "The parameter text['body'] is required.");
  if (text.body.length > 4096) fail(100, "Param text['body'] must be at most 4096 characters long.");
}

function validateMedia(type: string, media: Record<string, unknown>): void {
  if (!nonEmpty(media.id) && !nonEmpty(media.link)) fail(131008, `Param ${type} must have either 'id' or 'link'.`);
  if (typeof media.caption === 'string' && media.caption.length > 1024) {
    fail(100, `Param ${type}['caption'] must be at most 1024 characters long.`);
  }
}
