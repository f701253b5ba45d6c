import { fail } from './meta-errors.js';
import { bodyParamCount } from './templates.js';
import type { SimTemplate } from './types.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const lower = (v: unknown) => String(v ?? '').toLowerCase();
const MEDIA = ['image', 'video', 'document'];
/** The `sub_type` a send gives each kind of button that takes a parameter. */
const SUB_TYPES: Record<string, string> = { QUICK_REPLY: 'quick_reply', URL: 'url', COPY_CODE: 'copy_code' };

const mismatch = (where: string, got: number, expected: number): never =>
  fail(132000, `${where}: number of localizable_params (${got}) does not match the expected number of params (${expected})`);

/**
 * A template send, like Meta checks it: the template exists approved in that language (132001), the
 * body, header and button parameters are as many as it has variables (132000), and a media header or
 * a button gets a parameter of its format (132012). Returns the template's category.
 */
export function validateTemplate(t: Record<string, unknown>, templates: SimTemplate[]): string {
  const lang = isObj(t.language) ? t.language.code : undefined;
  if (!nonEmpty(t.name) || !nonEmpty(lang)) {
    fail(131008, "The parameters template['name'] and template['language']['code'] are required.");
  }
  const found = templates.find((x) => x.name === t.name && x.language === lang && x.status === 'APPROVED');
  if (!found) fail(132001, `template name (${t.name}) does not exist in ${lang}`, 404);
  const components = (Array.isArray(t.components) ? t.components : []).filter(isObj);
  const paramsOf = (type: string) => components.filter((c) => lower(c.type) === type).flatMap((c) => (Array.isArray(c.parameters) ? c.parameters : []));
  const given = paramsOf('body').length;
  const expected = bodyParamCount(found);
  if (given !== expected) mismatch('body', given, expected);
  validateHeader(found, paramsOf('header'));
  validateButtons(found, components.filter((c) => lower(c.type) === 'button'));
  return found.category;
}

function validateHeader(found: SimTemplate, params: unknown[]): void {
  const header = found.components.find((c) => lower(c.type) === 'header');
  const format = header ? lower(header.format ?? 'text') : null;
  if (format && MEDIA.includes(format)) {
    const p = params[0];
    const got = isObj(p) ? lower(p.type) : 'unknown';
    if (got !== format) fail(132012, `header: Format mismatch, expected ${format.toUpperCase()}, received ${got.toUpperCase()}`);
    const media = (p as Record<string, unknown>)[format];
    if (!isObj(media) || (!nonEmpty(media.id) && !nonEmpty(media.link))) fail(131008, `Param header['parameters'][0]['${format}'] must have either 'id' or 'link'.`);
    if (params.length > 1) mismatch('header', params.length, 1);
    return;
  }
  const text = format === 'text' && typeof header?.text === 'string' ? header.text : '';
  const variables = new Set(text.match(/\{\{\s*[\w]+\s*\}\}/g) ?? []).size;
  if (params.length !== variables) mismatch('header', params.length, variables);
  if (params.some((p) => !isObj(p) || p.type !== 'text')) fail(132012, 'header: Format mismatch, expected TEXT');
}

function validateButtons(found: SimTemplate, given: Array<Record<string, unknown>>): void {
  const listed = found.components.find((c) => lower(c.type) === 'buttons');
  const buttons = (Array.isArray(listed?.buttons) ? listed.buttons : []) as Array<Record<string, unknown>>;
  const needs = (b: Record<string, unknown>) => (b.type === 'URL' && /\{\{\s*1\s*\}\}/.test(String(b.url ?? ''))) || b.type === 'COPY_CODE';
  const seen = new Set<number>();
  for (const c of given) {
    const index = Number(c.index);
    const b = buttons[index];
    const params = Array.isArray(c.parameters) ? c.parameters : [];
    if (!b) mismatch(`buttons: button at index ${String(c.index)}`, params.length, 0);
    seen.add(index);
    const sub = SUB_TYPES[String(b.type)];
    if (!sub) mismatch(`buttons: ${String(b.type)} button at index ${index}`, params.length, 0);
    if (lower(c.sub_type) !== sub) fail(132012, `buttons: Format mismatch at index ${index}, expected ${sub}, received ${lower(c.sub_type)}`);
    const expected = b.type === 'QUICK_REPLY' ? 1 : needs(b) ? 1 : 0;
    if (params.length !== expected) mismatch(`buttons: button at index ${index}`, params.length, expected);
    if (expected === 0) continue;
    const p = params[0];
    const [type, key] = b.type === 'QUICK_REPLY' ? ['payload', 'payload'] : b.type === 'URL' ? ['text', 'text'] : ['coupon_code', 'coupon_code'];
    if (!isObj(p) || p.type !== type || !nonEmpty(p[key])) fail(132012, `buttons: Format mismatch at index ${index}, expected a ${type} parameter`);
    if (type === 'coupon_code' && !/^[A-Za-z0-9]{1,15}$/.test(p.coupon_code as string)) fail(131009, `buttons: the coupon code at index ${index} must be at most 15 letters and digits.`);
  }
  buttons.forEach((b, index) => {
    if (needs(b) && !seen.has(index)) mismatch(`buttons: ${String(b.type)} button at index ${index}`, 0, 1);
  });
}
