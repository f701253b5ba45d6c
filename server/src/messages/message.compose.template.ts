import { AppError } from '../errors.js';
import { MessageType } from './message.enums.js';
import { TEMPLATE_LIMITS } from '../whatsapp/whatsapp.limits.js';
import { buttonNeedsParameter, type TemplateButton } from '../templates/template.components.js';
import type { TemplateInput } from './send.input.js';
import { bad, checkLength } from './message.compose.checks.js';
import type { Composed, ComposeLookups, TemplateInfo } from './message.compose.js';

const PLACEHOLDER = /\{\{\s*([\w]+)\s*\}\}/g;
const fill = (text: string, values: Record<string, string>) => text.replace(PLACEHOLDER, (m, k: string) => values[k] ?? m);
type Component = Record<string, unknown>;

/**
 * An approved template: its body and text-header parameters, header media and button parameters
 * checked against the template as last synced, in Meta's `components`. Besides Meta's object the
 * payload keeps `rendered` (header, footer and buttons as the customer sees them) for the widget.
 */
export async function template(input: TemplateInput, lookups: ComposeLookups): Promise<Composed> {
  const found = await lookups.template(input.name, input.language);
  if (!found) throw new AppError('BAD_USER_INPUT', `no template ${input.name} (${input.language}); run syncTemplates if it was just created`, { field: 'template' });
  if (found.status !== 'APPROVED') throw new AppError('BAD_USER_INPUT', `template ${input.name} (${input.language}) is ${found.status}, not APPROVED`, { field: 'template' });
  const t = withHeaderText(input, found);
  const components: Component[] = [];
  let values: Record<string, string>;
  let headerValues: Record<string, string>;
  if (found.named) {
    const expected = [...found.header, ...found.body];
    const given = new Map((t.namedParameters ?? []).map((p) => [p.name, p.value]));
    const missing = expected.filter((n) => !given.has(n));
    const extra = [...given.keys()].filter((n) => !expected.includes(n));
    if (missing.length || extra.length || t.parameters?.length || t.headerParameters?.length) {
      bad(`template ${t.name} takes named parameters ${expected.join(', ')}${missing.length ? `; missing ${missing.join(', ')}` : ''}${extra.length ? `; unknown ${extra.join(', ')}` : ''}`, 'template.namedParameters');
    }
    const param = (n: string) => ({ type: 'text', parameter_name: n, text: given.get(n)! });
    if (found.header.length) components.push({ type: 'header', parameters: found.header.map(param) });
    if (found.body.length) components.push({ type: 'body', parameters: found.body.map(param) });
    values = headerValues = Object.fromEntries(given);
  } else {
    const body = t.parameters ?? [];
    const header = t.headerParameters ?? [];
    if (body.length !== found.body.length || t.namedParameters?.length) {
      bad(`template ${t.name} takes ${found.body.length} parameters, got ${body.length}`, 'template.parameters');
    }
    if (header.length !== found.header.length) bad(`template ${t.name} takes ${found.header.length} header parameters, got ${header.length}`, 'template.headerParameters');
    if (header.length) components.push({ type: 'header', parameters: header.map((text) => ({ type: 'text', text })) });
    if (body.length) components.push({ type: 'body', parameters: body.map((text) => ({ type: 'text', text })) });
    values = Object.fromEntries(body.map((v, i) => [String(i + 1), v]));
    headerValues = Object.fromEntries(header.map((v, i) => [String(i + 1), v]));
  }
  const media = headerMedia(t, found);
  if (media) components.unshift({ type: 'header', parameters: [media] });
  const buttons = buttonParameters(t, found);
  components.push(...buttons.components);

  const { parts } = found;
  const header = media
    ? { format: parts.headerFormat, ...(media[media.type as string] as Component) }
    : parts.headerText != null ? { format: 'TEXT', text: fill(parts.headerText, headerValues) } : undefined;
  const rendered = {
    ...(header ? { header } : {}),
    ...(parts.footer != null ? { footer: parts.footer } : {}),
    ...(buttons.rendered.length ? { buttons: buttons.rendered } : {}),
  };
  const text = found.bodyText ? fill(found.bodyText, values) : `[template ${t.name}]`;
  const object = {
    name: t.name,
    // Meta's description requires a policy; `deterministic`, its only value, renders exactly this language.
    language: { code: t.language, policy: 'deterministic' },
    ...(components.length ? { components } : {}),
  };
  return { type: MessageType.TEMPLATE, waType: 'template', text, payload: { template: object, ...(Object.keys(rendered).length ? { rendered } : {}) }, needsWindow: false };
}

/** `header: { kind: TEXT, text }` as the text header's one parameter, positional or named. */
function withHeaderText(t: TemplateInput, found: TemplateInfo): TemplateInput {
  if (t.header?.kind !== 'TEXT') return t;
  const h = t.header;
  if (found.parts.headerFormat !== 'TEXT' || found.header.length !== 1) {
    bad(`template ${t.name} has ${found.parts.headerFormat === 'TEXT' ? 'a text header without a variable' : found.parts.headerFormat ? `a ${found.parts.headerFormat} header` : 'no header'}`, 'template.header.kind');
  }
  if (h.text == null || !h.text.trim()) bad('header.text must not be empty', 'template.header.text');
  if (h.id != null || h.link != null || h.filename != null) bad('a text header takes only text', 'template.header');
  const name = found.header[0]!;
  if (t.headerParameters?.length || t.namedParameters?.some((p) => p.name === name)) bad('give the header once: header.text or its parameter', 'template.header');
  const { header: _, ...rest } = t;
  return found.named ? { ...rest, namedParameters: [...(t.namedParameters ?? []), { name, value: h.text! }] } : { ...rest, headerParameters: [h.text!] };
}

/** The header's media parameter (`{ type: 'image', image: { link } }`), required exactly when the template has a media header. */
function headerMedia(t: TemplateInput, found: TemplateInfo): Component | null {
  const format = found.parts.headerFormat;
  const h = t.header;
  const isMedia = format === 'IMAGE' || format === 'VIDEO' || format === 'DOCUMENT';
  if (format === 'LOCATION') bad(`template ${t.name} has a LOCATION header, which the inbox cannot fill`, 'template.header');
  if (!h) {
    if (isMedia) bad(`template ${t.name} has a${format === 'IMAGE' ? 'n' : ''} ${format} header: give header { kind: ${format}, link or id }`, 'template.header');
    return null;
  }
  if (!isMedia) bad(`template ${t.name} has ${format ? 'a text header' : 'no header'}, not a${h.kind === 'IMAGE' ? 'n' : ''} ${h.kind}`, 'template.header.kind');
  if (h.kind !== format) bad(`template ${t.name} has a${format === 'IMAGE' ? 'n' : ''} ${format} header, not a${h.kind === 'IMAGE' ? 'n' : ''} ${h.kind}`, 'template.header.kind');
  if (!h.id === !h.link) bad('the header needs exactly one of id or link', 'template.header');
  if (h.link != null && !/^https:\/\/\S+$/.test(h.link)) bad('header.link must be an https URL', 'template.header.link');
  if (h.text != null) bad('a media header takes no text', 'template.header.text');
  if (h.filename != null && format !== 'DOCUMENT') bad('only a document header has a filename', 'template.header.filename');
  if (h.filename != null && !h.filename.trim()) bad('header.filename must not be empty', 'template.header.filename');
  const type = format!.toLowerCase();
  return { type, [type]: { ...(h.id ? { id: h.id } : { link: h.link }), ...(h.filename ? { filename: h.filename } : {}) } };
}

/** Meta's `button` components for the given parameters, each checked against the template's button at its index. */
function buttonParameters(t: TemplateInput, found: TemplateInfo): { components: Component[]; rendered: Component[] } {
  const buttons = found.parts.buttons;
  const given = new Map<number, { payload?: string; text?: string; couponCode?: string }>();
  (t.buttons ?? []).forEach((b, i) => {
    const at = `template.buttons[${i}]`;
    if (!buttons[b.index]) bad(`template ${t.name} has ${buttons.length ? `buttons 0 to ${buttons.length - 1}` : 'no buttons'}, not ${b.index}`, `${at}.index`);
    if (given.has(b.index)) bad(`button ${b.index} is given twice`, `${at}.index`);
    given.set(b.index, b);
    checkButton(buttons[b.index]!, b, at);
  });
  const missing = buttons.find((b) => buttonNeedsParameter(b) && !given.has(b.index));
  if (missing) {
    const what = missing.type === 'COPY_CODE' ? 'couponCode' : 'text (the URL suffix)';
    bad(`template ${t.name}'s button ${missing.index} (${missing.type} “${missing.text}”) needs its ${what}: buttons: [{ index: ${missing.index}, … }]`, 'template.buttons');
  }
  const components: Component[] = [];
  const rendered = buttons.map((b): Component => {
    const p = given.get(b.index);
    if (p?.payload != null) components.push({ type: 'button', sub_type: 'quick_reply', index: String(b.index), parameters: [{ type: 'payload', payload: p.payload }] });
    if (p?.text != null) components.push({ type: 'button', sub_type: 'url', index: String(b.index), parameters: [{ type: 'text', text: p.text }] });
    if (p?.couponCode != null) components.push({ type: 'button', sub_type: 'copy_code', index: String(b.index), parameters: [{ type: 'coupon_code', coupon_code: p.couponCode }] });
    const url = b.url && p?.text != null ? b.url.replace(/\{\{\s*1\s*\}\}/, p.text) : b.url;
    return { type: b.type, text: b.text, ...(url ? { url } : {}), ...(p?.payload != null ? { payload: p.payload } : {}), ...(p?.couponCode != null ? { code: p.couponCode } : {}) };
  });
  return { components, rendered };
}

/** One button parameter: the one its button's type takes, within Meta's limits. */
function checkButton(button: TemplateButton, p: { payload?: string; text?: string; couponCode?: string }, at: string): void {
  const given = (['payload', 'text', 'couponCode'] as const).filter((k) => p[k] != null);
  const takes = button.type === 'QUICK_REPLY' ? 'payload' : button.dynamic ? 'text' : button.type === 'COPY_CODE' ? 'couponCode' : null;
  const label = `button ${button.index} (${button.type} “${button.text}”)`;
  if (!takes) bad(`${label} takes no parameter${button.type === 'URL' ? ': its URL has no {{1}}' : ''}`, at);
  if (given.length !== 1 || given[0] !== takes) bad(`${label} takes ${takes} only`, at);
  const value = p[takes!]!;
  if (!value.trim()) bad(`${at}.${takes} must not be empty`, `${at}.${takes}`);
  if (takes === 'payload') checkLength(value, TEMPLATE_LIMITS.buttonPayload, `${at}.payload`);
  if (takes === 'text' && [...button.url!.replace(/\{\{\s*1\s*\}\}/, value)].length > TEMPLATE_LIMITS.url) {
    bad(`${label}'s URL with this suffix is longer than ${TEMPLATE_LIMITS.url} characters`, `${at}.text`);
  }
  if (takes === 'couponCode') {
    checkLength(value, TEMPLATE_LIMITS.couponCode, `${at}.couponCode`);
    if (!/^[A-Za-z0-9]+$/.test(value)) bad(`${at}.couponCode must be letters and digits only`, `${at}.couponCode`);
  }
}
