/** The picker's form for one template: which fields it needs, the preview they fill, the send they make. */
import { fill, mediaHeader, part, placeholders, templateButtons, withSuffix, type Placeholders, type TemplateButton } from './templateParts';
import type { TemplateView } from './TemplateCard';

/** What the form knows of a template. */
export interface TemplateShape {
  name: string;
  language: string;
  header: Placeholders;
  body: Placeholders;
  /** IMAGE, VIDEO or DOCUMENT: a header a send must link. */
  media?: string;
  footer?: string;
  buttons: TemplateButton[];
}

/** One input of the form; only the document's filename is optional. */
export interface Field {
  key: string;
  label: string;
  type?: 'url';
  maxLength?: number;
}

type Values = Record<string, string>;

/** A template's shape, from its name, language and components. */
export function shapeOf({ name, language, components: c }: { name: string; language: string; components: readonly Record<string, unknown>[] }): TemplateShape {
  return { name, language, header: placeholders(c, 'HEADER'), body: placeholders(c, 'BODY'), media: mediaHeader(c), footer: part(c, 'FOOTER')?.text as string | undefined, buttons: templateButtons(c) };
}

/** The inputs a send of this template needs. Header and body are keyed apart: both may use {{1}}. */
export function fieldsOf(s: TemplateShape): Field[] {
  return [
    ...(s.media ? [{ key: 'media', label: `Header ${s.media.toLowerCase()} link`, type: 'url' as const }] : []),
    ...(s.media === 'DOCUMENT' ? [{ key: 'filename', label: 'Document filename (optional)' }] : []),
    ...s.header.keys.map((k) => ({ key: `h:${k}`, label: `Header {{${k}}}` })),
    ...s.body.keys.map((k) => ({ key: `b:${k}`, label: `{{${k}}}` })),
    ...s.buttons
      .filter((b) => b.needsValue)
      .map((b) => (b.type === 'COPY_CODE' ? { key: `btn:${b.index}`, label: `Button “${b.text}”: coupon code`, maxLength: 15 } : { key: `btn:${b.index}`, label: `Button “${b.text}”: URL suffix` })),
  ];
}

const prefixed = (values: Values, prefix: string) => Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));

/** What the customer will see with these values; unfilled parts show as placeholders. */
export function previewOf(s: TemplateShape, values: Values): TemplateView {
  const v = (key: string) => values[key]?.trim();
  return {
    header: s.media ? { format: s.media, link: v('media'), filename: v('filename') } : s.header.text ? { format: 'TEXT', text: fill(s.header.text, prefixed(values, 'h:')) } : undefined,
    body: s.body.text ? fill(s.body.text, prefixed(values, 'b:')) : '(This template has no text body.)',
    footer: s.footer,
    buttons: s.buttons.map((b) => ({ ...b, url: b.url && withSuffix(b.url, v(`btn:${b.index}`) ?? ''), code: v(`btn:${b.index}`) })),
  };
}

/** sendMessage's `template` for these values. */
export function templateInput(s: TemplateShape, values: Values) {
  const v = (key: string) => values[key]!.trim();
  const positional = [...s.header.keys, ...s.body.keys].every((k) => /^\d+$/.test(k));
  const buttons = s.buttons.filter((b) => b.needsValue).map((b) => ({ index: b.index, [b.type === 'COPY_CODE' ? 'couponCode' : 'text']: v(`btn:${b.index}`) }));
  return {
    name: s.name,
    language: s.language,
    ...(positional
      ? {
          ...(s.body.keys.length ? { parameters: s.body.keys.map((k) => v(`b:${k}`)) } : {}),
          ...(s.header.keys.length ? { headerParameters: s.header.keys.map((k) => v(`h:${k}`)) } : {}),
        }
      : { namedParameters: [...s.header.keys.map((k) => ({ name: k, value: v(`h:${k}`) })), ...s.body.keys.map((k) => ({ name: k, value: v(`b:${k}`) }))] }),
    ...(s.media ? { header: { kind: s.media as 'IMAGE' | 'VIDEO' | 'DOCUMENT', link: v('media'), ...(values.filename?.trim() ? { filename: v('filename') } : {}) } } : {}),
    ...(buttons.length ? { buttons } : {}),
  };
}
