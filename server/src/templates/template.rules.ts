import { AppError } from '../errors.js';
import { LIMITS, TEMPLATE_LIMITS } from '../whatsapp/whatsapp.limits.js';

/*
 * Meta's rules for creating a template, checked before Meta sees it. Sources, cited per rule below:
 * [D] the integration digest /work/shared/whatsapp-cloud-api.md; [C] Meta's "Template components" page
 * (developers.facebook.com/documentation/business-messaging/whatsapp/templates/components); [O] Meta's
 * templates overview (…/whatsapp/templates/overview: names, categories, parameter formats).
 */

/** A template as `POST /{waba}/message_templates` takes it. */
export interface TemplateDraft {
  name: string;
  language: string;
  category: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: Array<Record<string, unknown>>;
}

// [O] names: lowercase letters, digits and underscores, at most 512 characters.
const NAME = /^[a-z0-9_]{1,512}$/;
// [O] the three categories a template can be created in.
export const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
// [O] language codes as Meta lists them: `de`, `en_US`, `pt_BR`, `zh_Hant`-like script codes too.
const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2}|_[A-Z][a-z]{3})?$/;
// [D] §7.2 named parameters are `[a-z_]{1,20}`.
const NAMED_PARAM = /^[a-z_]{1,20}$/;
const POSITIONAL_PARAM = /^[1-9]\d*$/;
/**
 * Limits of a template's creation: [D] §9 and [C] header text 60, body 1024, footer 60 (whatsapp.limits.ts `LIMITS`),
 * URL 2000 and copy code 15 (`TEMPLATE_LIMITS`, shared with sends); [C] 10 buttons, button text 25, phone number 20.
 */
export const CREATION_LIMITS = {
  header: LIMITS.header, body: LIMITS.body, footer: LIMITS.footer, url: TEMPLATE_LIMITS.url, copyCode: TEMPLATE_LIMITS.couponCode,
  buttons: 10, buttonText: 25, phone: 20,
};
// [C] media headers carry an uploaded asset's handle as their example; a LOCATION header has none.
const MEDIA_HEADERS = ['IMAGE', 'VIDEO', 'DOCUMENT'];
const HEADER_FORMATS = ['TEXT', ...MEDIA_HEADERS, 'LOCATION'];
// [C] the button types of a standard template; OTP only in AUTHENTICATION ones.
const BUTTON_TYPES = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE'];

const bad = (field: string, message: string): never => {
  throw new AppError('BAD_USER_INPUT', `${field}: ${message}`, { field });
};
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** The `{{…}}` placeholders of a text, in order of appearance (repeats kept). */
export function variablesOf(text: string): string[] {
  return [...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]!);
}

/** Normalises and checks a whole template; throws BAD_USER_INPUT naming the first field at fault. */
export function checkTemplate(input: TemplateDraft): TemplateDraft {
  const name = input.name.trim();
  if (!NAME.test(name)) bad('name', 'use 1 to 512 lowercase letters, digits and underscores');
  const language = input.language.trim().replace(/-/g, '_');
  if (!LANGUAGE.test(language)) bad('language', `"${input.language}" is not a language code like en_US, pt_BR or de`);
  const category = checkCategory(input.category);
  const format = input.parameterFormat;
  if (format !== 'POSITIONAL' && format !== 'NAMED') bad('parameterFormat', 'POSITIONAL or NAMED');
  checkComponents(input.components, category, format);
  return { name, language, category, parameterFormat: format, components: input.components };
}

/** MARKETING, UTILITY or AUTHENTICATION (any case). */
export function checkCategory(category: string): string {
  const c = category.trim().toUpperCase();
  if (!(CATEGORIES as readonly string[]).includes(c)) bad('category', 'MARKETING, UTILITY or AUTHENTICATION');
  return c;
}

/** The components' rules: one of each type, BODY required, and each component's own limits. */
export function checkComponents(components: Array<Record<string, unknown>>, category: string, format: 'POSITIONAL' | 'NAMED'): void {
  const seen = new Set<string>();
  components.forEach((c, i) => {
    const type = str(c.type).toUpperCase();
    const at = `components[${i}]`;
    if (!['HEADER', 'BODY', 'FOOTER', 'BUTTONS'].includes(type)) bad(`${at}.type`, 'HEADER, BODY, FOOTER or BUTTONS');
    // [C] a template has at most one header, one body, one footer and one set of buttons.
    if (seen.has(type)) bad(`${at}.type`, `only one ${type} component`);
    seen.add(type);
    if (type === 'HEADER') checkHeader(c, at, format);
    if (type === 'BODY') checkBody(c, at, format, category);
    if (type === 'FOOTER') checkFooter(c, at);
    if (type === 'BUTTONS') checkButtons(c, at, category);
  });
  // [C] "The only required component is the body component."
  if (!seen.has('BODY')) bad('components', 'a BODY component is required');
}

function checkHeader(c: Record<string, unknown>, at: string, format: 'POSITIONAL' | 'NAMED'): void {
  const kind = str(c.format).toUpperCase();
  if (!HEADER_FORMATS.includes(kind)) bad(`${at}.format`, HEADER_FORMATS.join(', '));
  const example = obj(c.example);
  if (MEDIA_HEADERS.includes(kind)) {
    const handles = example.header_handle;
    if (!Array.isArray(handles) || !handles.length || !handles.every((h) => typeof h === 'string' && h.trim())) {
      bad(`${at}.example.header_handle`, `a ${kind} header needs the handle of an uploaded sample`);
    }
    return;
  }
  if (kind !== 'TEXT') return;
  const text = str(c.text);
  if (!text.trim()) bad(`${at}.text`, 'a TEXT header needs text');
  if (text.length > CREATION_LIMITS.header) bad(`${at}.text`, `at most ${CREATION_LIMITS.header} characters (has ${text.length})`);
  const vars = variablesOf(text);
  // [C] "Text headers support 1 parameter."
  if (vars.length > 1) bad(`${at}.text`, 'a header takes at most one variable');
  checkVariables(vars, `${at}.text`, format);
  if (vars.length) checkExamples(example, vars, `${at}.example`, format, 'header_text');
}

function checkBody(c: Record<string, unknown>, at: string, format: 'POSITIONAL' | 'NAMED', category: string): void {
  const text = str(c.text);
  // [C] authentication templates carry Meta's preset body text: none is given.
  if (category === 'AUTHENTICATION' && !text) return;
  if (!text.trim()) bad(`${at}.text`, 'the body needs text');
  if (text.length > CREATION_LIMITS.body) bad(`${at}.text`, `at most ${CREATION_LIMITS.body} characters (has ${text.length})`);
  const vars = variablesOf(text);
  checkVariables(vars, `${at}.text`, format);
  // [O] Meta rejects a body that starts or ends with a variable ("dangling parameters").
  const trimmed = text.trim();
  if (vars.length && (trimmed.startsWith('{{') || trimmed.endsWith('}}'))) bad(`${at}.text`, 'a variable may not be at the very start or end of the body');
  if (vars.length) checkExamples(obj(c.example), vars, `${at}.example`, format, 'body_text');
}

function checkFooter(c: Record<string, unknown>, at: string): void {
  const text = str(c.text);
  if (!text.trim()) bad(`${at}.text`, 'the footer needs text');
  if (text.length > CREATION_LIMITS.footer) bad(`${at}.text`, `at most ${CREATION_LIMITS.footer} characters (has ${text.length})`);
  // [C] footers take no parameters.
  if (variablesOf(text).length) bad(`${at}.text`, 'a footer takes no variables');
}

/** [O] positional variables are `{{1}}`…`{{n}}`, numbered in order without gaps; named ones lowercase names. */
function checkVariables(vars: string[], field: string, format: 'POSITIONAL' | 'NAMED'): void {
  const distinct = [...new Set(vars)];
  for (const v of distinct) {
    if (format === 'POSITIONAL' && !POSITIONAL_PARAM.test(v)) bad(field, `{{${v}}} is not a positional variable like {{1}} (set parameterFormat NAMED for names)`);
    if (format === 'NAMED' && !NAMED_PARAM.test(v)) bad(field, `{{${v}}} is not a named variable: up to 20 lowercase letters and underscores`);
  }
  if (format === 'POSITIONAL') {
    distinct.forEach((v, i) => {
      if (Number(v) !== i + 1) bad(field, `variables must be numbered {{1}} to {{${distinct.length}}} in order; found {{${v}}} in place ${i + 1}`);
    });
  }
}

/** [C] every variable needs an example: `body_text: [[…]]` / `header_text: […]`, or `*_named_params` for NAMED. */
function checkExamples(example: Record<string, unknown>, vars: string[], field: string, format: 'POSITIONAL' | 'NAMED', key: 'body_text' | 'header_text'): void {
  const distinct = [...new Set(vars)];
  if (format === 'NAMED') {
    const given = Array.isArray(example[`${key}_named_params`]) ? (example[`${key}_named_params`] as unknown[]).map(obj) : [];
    for (const v of distinct) {
      if (!given.some((p) => p.param_name === v && str(p.example).trim())) bad(`${field}.${key}_named_params`, `an example for {{${v}}} is required`);
    }
    return;
  }
  const raw = example[key];
  const values = key === 'body_text' ? (Array.isArray(raw) ? raw[0] : undefined) : raw;
  const list = Array.isArray(values) ? values : [];
  distinct.forEach((v, i) => {
    if (!str(list[i]).trim()) bad(`${field}.${key}`, `an example for {{${v}}} is required`);
  });
}

function checkButtons(c: Record<string, unknown>, at: string, category: string): void {
  const buttons = Array.isArray(c.buttons) ? c.buttons.map(obj) : [];
  if (!buttons.length) bad(`${at}.buttons`, 'give at least one button, or leave out the BUTTONS component');
  // [C] up to 10 buttons in all.
  if (buttons.length > CREATION_LIMITS.buttons) bad(`${at}.buttons`, `at most ${CREATION_LIMITS.buttons} buttons (has ${buttons.length})`);
  buttons.forEach((b, i) => {
    const field = `${at}.buttons[${i}]`;
    const type = str(b.type).toUpperCase();
    if (category === 'AUTHENTICATION' && type === 'OTP') return; // [C] the one-time-password button Meta fills in
    if (!BUTTON_TYPES.includes(type)) bad(`${field}.type`, BUTTON_TYPES.join(', '));
    const text = str(b.text);
    if (type !== 'COPY_CODE') {
      if (!text.trim()) bad(`${field}.text`, 'the button needs text');
      if (text.length > CREATION_LIMITS.buttonText) bad(`${field}.text`, `at most ${CREATION_LIMITS.buttonText} characters (has ${text.length})`);
    }
    if (type === 'URL') checkUrlButton(b, field);
    if (type === 'PHONE_NUMBER') {
      const phone = str(b.phone_number);
      if (!/^\+?[0-9 ()-]{4,20}$/.test(phone)) bad(`${field}.phone_number`, `a phone number of at most ${CREATION_LIMITS.phone} characters`);
    }
    if (type === 'COPY_CODE') {
      const code = Array.isArray(b.example) ? str(b.example[0]) : str(b.example);
      // Meta's coupon-templates page: letters and digits only.
      if (!/^[A-Za-z0-9]+$/.test(code) || code.length > CREATION_LIMITS.copyCode) bad(`${field}.example`, `the sample code, 1 to ${CREATION_LIMITS.copyCode} letters and digits`);
    }
  });
}

/** [C] a URL button's url may end with one variable, given an example of the whole URL. */
function checkUrlButton(b: Record<string, unknown>, field: string): void {
  const url = str(b.url);
  if (!/^https?:\/\/\S+$/.test(url) || url.length > CREATION_LIMITS.url) bad(`${field}.url`, `an http(s) URL of at most ${CREATION_LIMITS.url} characters`);
  const vars = variablesOf(url);
  if (vars.length > 1) bad(`${field}.url`, 'a URL takes at most one variable');
  if (vars.length && !/\{\{\s*1\s*\}\}$/.test(url)) bad(`${field}.url`, 'the variable must be {{1}} at the end of the URL');
  if (vars.length) {
    const example = Array.isArray(b.example) ? str(b.example[0]) : str(b.example);
    if (!/^https?:\/\/\S+$/.test(example)) bad(`${field}.example`, 'an example of the whole URL is required');
  }
}
