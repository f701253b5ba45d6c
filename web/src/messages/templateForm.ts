/** The picker's form for one template: the fields a send needs, the preview they fill, the send they make. */
import type { TemplateView } from './TemplateCard';

type Json = Record<string, any>;
type Values = Record<string, string>;

/** A template's placeholders in one component's text. */
export interface Placeholders {
  /** Text with {{…}} placeholders, or '' when the component is missing. */
  text: string;
  /** Keys in the order parameters are sent: '1', '2', … (positional) or names. */
  keys: string[];
}

/** What the form knows of a template. */
export interface TemplateShape {
  name: string;
  language: string;
  header: Placeholders;
  body: Placeholders;
  /** IMAGE, VIDEO or DOCUMENT: a header a send must link. */
  media?: string;
  footer?: string;
  /** Meta's buttons with their `index`; `key` (`btn:<index>`) on those a send gives a value: a URL with {{1}}, a copy code. */
  buttons: Json[];
}

/** One input of the form. */
export interface Field {
  key: string;
  label: string;
  maxLength?: number;
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;
const SUFFIX = /\{\{\s*1\s*\}\}/;
const part = (components: readonly Json[], type: string) => components.find((x) => String(x.type).toUpperCase() === type);

/** The text of a template component (BODY, or a TEXT HEADER) and its placeholders. */
export function placeholders(components: readonly Json[], type: 'BODY' | 'HEADER'): Placeholders {
  const c = part(components, type);
  if (typeof c?.text !== 'string' || (type === 'HEADER' && c.format != null && String(c.format).toUpperCase() !== 'TEXT')) return { text: '', keys: [] };
  const keys = [...new Set(Array.from((c.text as string).matchAll(PLACEHOLDER), (m) => m[1]!))];
  if (keys.every((k) => /^\d+$/.test(k))) {
    // Positional: {{1}} … {{n}}, sent in order even if the text repeats or reorders them.
    const max = Math.max(0, ...keys.map(Number));
    return { text: c.text, keys: Array.from({ length: max }, (_, i) => String(i + 1)) };
  }
  return { text: c.text, keys };
}

/** The text with the values filled in; empty values show as the placeholder. */
export function fill(text: string, values: Values): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => values[key] || whole);
}

/** A template's shape, from its name, language and components (as Meta lists them). */
export function shapeOf({ name, language, components: c }: { name: string; language: string; components: readonly Json[] }): TemplateShape {
  const media = String(part(c, 'HEADER')?.format).toUpperCase();
  const buttons: Json[] = part(c, 'BUTTONS')?.buttons ?? [];
  return {
    name,
    language,
    header: placeholders(c, 'HEADER'),
    body: placeholders(c, 'BODY'),
    media: ['IMAGE', 'VIDEO', 'DOCUMENT'].includes(media) ? media : undefined,
    footer: part(c, 'FOOTER')?.text,
    buttons: buttons.map((b, index) => ({ ...b, index, key: b.type === 'COPY_CODE' || SUFFIX.test(b.url) ? `btn:${index}` : undefined })),
  };
}

/** The inputs a send of this template needs. Header and body are keyed apart: both may use {{1}}. */
export function fieldsOf(s: TemplateShape): Field[] {
  return [
    ...(s.media ? [{ key: 'media', label: `Header ${s.media.toLowerCase()} link` }] : []),
    ...s.header.keys.map((k) => ({ key: `h:${k}`, label: `Header {{${k}}}` })),
    ...s.body.keys.map((k) => ({ key: `b:${k}`, label: `{{${k}}}` })),
    ...s.buttons.filter((b) => b.key).map((b) => (b.type === 'COPY_CODE' ? { key: b.key, label: `Button “${b.text}”: coupon code`, maxLength: 15 } : { key: b.key, label: `Button “${b.text}”: URL suffix` })),
  ];
}

const prefixed = (values: Values, prefix: string) => Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));

/** What the customer will see with these values; unfilled parts show as placeholders. */
export function previewOf(s: TemplateShape, values: Values): TemplateView {
  const v = (key?: string) => (key && values[key]?.trim()) || '';
  return {
    header: s.media ? { format: s.media, link: v('media') } : s.header.text ? { format: 'TEXT', text: fill(s.header.text, prefixed(values, 'h:')) } : undefined,
    body: s.body.text ? fill(s.body.text, prefixed(values, 'b:')) : '(This template has no text body.)',
    footer: s.footer,
    buttons: s.buttons.map((b) => ({ ...b, url: v(b.key) ? b.url?.replace(SUFFIX, v(b.key)) : b.url, code: v(b.key) })),
  };
}

/** sendMessage's `template` for these values. */
export function templateInput(s: TemplateShape, values: Values) {
  const v = (key: string) => values[key]!.trim();
  const positional = [...s.header.keys, ...s.body.keys].every((k) => /^\d+$/.test(k));
  const buttons = s.buttons.filter((b) => b.key).map((b) => ({ index: b.index as number, [b.type === 'COPY_CODE' ? 'couponCode' : 'text']: v(b.key) }));
  return {
    name: s.name,
    language: s.language,
    ...(positional
      ? {
          ...(s.body.keys.length ? { parameters: s.body.keys.map((k) => v(`b:${k}`)) } : {}),
          ...(s.header.keys.length ? { headerParameters: s.header.keys.map((k) => v(`h:${k}`)) } : {}),
        }
      : { namedParameters: [...s.header.keys.map((k) => ({ name: k, value: v(`h:${k}`) })), ...s.body.keys.map((k) => ({ name: k, value: v(`b:${k}`) }))] }),
    ...(s.media ? { header: { kind: s.media as 'IMAGE' | 'VIDEO' | 'DOCUMENT', link: v('media') } } : {}),
    ...(buttons.length ? { buttons } : {}),
  };
}
