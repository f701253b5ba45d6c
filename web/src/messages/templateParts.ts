/** Reading a template's components (as Meta lists them) for the picker: placeholders, header, footer, buttons. */

type Components = readonly Record<string, unknown>[];

/** A template's placeholders in one component's text. */
export interface Placeholders {
  /** Text with {{…}} placeholders, or '' when the component is missing. */
  text: string;
  /** Keys in the order parameters are sent: '1', '2', … (positional) or names. */
  keys: string[];
}

/** One button of a template, by its position. */
export interface TemplateButton {
  index: number;
  /** QUICK_REPLY, URL, COPY_CODE, PHONE_NUMBER, … */
  type: string;
  text: string;
  url?: string;
  /** A URL with {{1}} or a copy code: the send must give its value. */
  needsValue: boolean;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const SUFFIX = /\{\{\s*1\s*\}\}/;
const upper = (v: unknown) => String(v ?? '').toUpperCase();

/** The component of a type (BODY, HEADER, FOOTER, BUTTONS), if the template has one. */
export const part = (components: Components, type: string) => components.find((x) => upper(x.type) === type);

/** The text of a template component (BODY, or a TEXT HEADER) and its placeholders. */
export function placeholders(components: Components, type: 'BODY' | 'HEADER'): Placeholders {
  const c = part(components, type);
  if (!c || typeof c.text !== 'string') return { text: '', keys: [] };
  if (type === 'HEADER' && c.format != null && upper(c.format) !== 'TEXT') return { text: '', keys: [] };
  const keys = [...new Set(Array.from(c.text.matchAll(PLACEHOLDER), (m) => m[1]!))];
  if (keys.every((k) => /^\d+$/.test(k))) {
    // Positional: {{1}} … {{n}}, sent in order even if the text repeats or reorders them.
    const max = Math.max(0, ...keys.map(Number));
    return { text: c.text, keys: Array.from({ length: max }, (_, i) => String(i + 1)) };
  }
  return { text: c.text, keys };
}

/** The text with the values filled in; empty values show as the placeholder. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => values[key] || whole);
}

/** IMAGE, VIDEO or DOCUMENT when the header shows media a send must link. */
export function mediaHeader(components: Components): string | undefined {
  const f = upper(part(components, 'HEADER')?.format);
  return ['IMAGE', 'VIDEO', 'DOCUMENT'].includes(f) ? f : undefined;
}

/** The template's buttons in order. */
export function templateButtons(components: Components): TemplateButton[] {
  const list = (part(components, 'BUTTONS')?.buttons as Record<string, string>[] | undefined) ?? [];
  return list.map(({ type, text = '', url }, index) => ({ index, type: upper(type), text, url, needsValue: upper(type) === 'COPY_CODE' || SUFFIX.test(url ?? '') }));
}

/** A URL button's address with its suffix (or the {{1}} still showing). */
export const withSuffix = (url: string, suffix: string) => (suffix ? url.replace(SUFFIX, suffix) : url);
