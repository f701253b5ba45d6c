import { MessageType } from './message.enums.js';
import { LIMITS, VCARD_TYPES } from '../whatsapp/whatsapp.limits.js';
import type { CtaUrlInput, LocationRequestInput, VCardInput } from './send.input.js';
import { bad, checkLength, nonBlank, textParts } from './message.compose.checks.js';
import type { Composed } from './message.compose.js';


/** A call-to-action URL button: Meta's interactive `cta_url`, stored like the other interactive messages. */
export function ctaUrl(c: CtaUrlInput): Omit<Composed, 'needsWindow'> {
  nonBlank(c.body, 'ctaUrl.body');
  checkLength(c.body, LIMITS.body, 'ctaUrl.body');
  nonBlank(c.displayText, 'ctaUrl.displayText');
  checkLength(c.displayText, LIMITS.ctaDisplayText, 'ctaUrl.displayText');
  checkLength(c.header, LIMITS.header, 'ctaUrl.header');
  checkLength(c.footer, LIMITS.footer, 'ctaUrl.footer');
  if (!/^https?:\/\/[^\s/]+\S*$/i.test(c.url)) bad('ctaUrl.url must be an http(s) URL', 'ctaUrl.url');
  const interactive = {
    type: 'cta_url',
    ...textParts(c.header, c.body, c.footer),
    action: { name: 'cta_url', parameters: { display_text: c.displayText, url: c.url } },
  };
  return { type: MessageType.INTERACTIVE, waType: 'interactive', text: c.body, payload: { interactive } };
}

/** A request for the customer's location: Meta's interactive `location_request_message`. */
export function locationRequest(l: LocationRequestInput): Omit<Composed, 'needsWindow'> {
  nonBlank(l.body, 'locationRequest.body');
  checkLength(l.body, LIMITS.body, 'locationRequest.body');
  const interactive = { type: 'location_request_message', body: { text: l.body }, action: { name: 'send_location' } };
  return { type: MessageType.INTERACTIVE, waType: 'interactive', text: l.body, payload: { interactive } };
}

/** HOME or WORK (any case) as Meta spells it; BAD_USER_INPUT otherwise. */
function vcardType(type: string | undefined, field: string): { type?: string } {
  if (type == null) return {};
  const t = type.trim().toUpperCase();
  if (!VCARD_TYPES.includes(t)) bad(`${field} must be one of ${VCARD_TYPES.join(', ')}`, field);
  return { type: t };
}

/** Contact cards: Meta's `contacts` message, stored as CONTACTS like received ones. */
export function contacts(cards: VCardInput[]): Omit<Composed, 'needsWindow'> {
  if (cards.length < 1 || cards.length > LIMITS.contacts) bad(`between 1 and ${LIMITS.contacts} contact cards`, 'contacts');
  const out = cards.map((c, i) => {
    const at = `contacts[${i}]`;
    nonBlank(c.formattedName, `${at}.formattedName`);
    const phones = (c.phones ?? []).map((p, j) => {
      nonBlank(p.phone, `${at}.phones[${j}].phone`);
      return { phone: p.phone, ...vcardType(p.type, `${at}.phones[${j}].type`), ...(p.waId ? { wa_id: p.waId } : {}) };
    });
    const emails = (c.emails ?? []).map((e, j) => {
      if (!/^[^\s@]+@[^\s@]+$/.test(e.email)) bad(`${at}.emails[${j}].email must be an email address`, `${at}.emails[${j}].email`);
      return { email: e.email, ...vcardType(e.type, `${at}.emails[${j}].type`) };
    });
    const urls = (c.urls ?? []).map((u, j) => {
      if (!/^https?:\/\/\S+$/i.test(u.url)) bad(`${at}.urls[${j}].url must be an http(s) URL`, `${at}.urls[${j}].url`);
      return { url: u.url, ...vcardType(u.type, `${at}.urls[${j}].type`) };
    });
    const org = Object.fromEntries(Object.entries(c.org ?? {}).filter(([, v]) => v != null && v !== ''));
    return {
      name: { formatted_name: c.formattedName, ...(c.firstName ? { first_name: c.firstName } : {}), ...(c.lastName ? { last_name: c.lastName } : {}) },
      ...(phones.length ? { phones } : {}),
      ...(emails.length ? { emails } : {}),
      ...(urls.length ? { urls } : {}),
      ...(Object.keys(org).length ? { org } : {}),
    };
  });
  // What an agent reads and search finds: the names on the cards.
  const text = `Contact card${cards.length > 1 ? 's' : ''}: ${cards.map((c) => c.formattedName).join(', ')}`;
  return { type: MessageType.CONTACTS, waType: 'contacts', text, payload: { contacts: out } };
}
