/** The editor's form, turned into Meta's component objects on submit and read back from a stored template. */

export type HeaderFormat = 'NONE' | 'TEXT' | 'IMAGE' | 'VIDEO' | 'DOCUMENT' | 'LOCATION';
export type ButtonType = 'QUICK_REPLY' | 'URL' | 'PHONE_NUMBER' | 'COPY_CODE';

export interface DraftButton {
  type: ButtonType;
  text: string;
  /** URL of a URL button, number of a PHONE_NUMBER one. */
  value: string;
  /** The whole URL with its variable filled in, or the sample code of a COPY_CODE button. */
  example: string;
}

export interface TemplateDraft {
  name: string;
  language: string;
  category: string;
  headerFormat: HeaderFormat;
  headerText: string;
  /** The uploaded sample's handle of a media header. */
  headerHandle: string;
  body: string;
  footer: string;
  /** Example values by variable, `header:1`, `body:first_name`. */
  examples: Record<string, string>;
  buttons: DraftButton[];
}

export const emptyDraft = (): TemplateDraft => ({
  name: '', language: 'en_US', category: 'UTILITY', headerFormat: 'NONE', headerText: '', headerHandle: '', body: '', footer: '', examples: {}, buttons: [],
});

/** Distinct `{{…}}` variables of a text, in order of first appearance. */
export function variables(text: string): string[] {
  return [...new Set([...text.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)].map((m) => m[1]!))];
}

/** The header's variables (a TEXT header only). */
export const headerVariables = (d: TemplateDraft): string[] => (d.headerFormat === 'TEXT' ? variables(d.headerText) : []);

/** NAMED as soon as a variable is not a number, as Meta's `parameter_format` says. */
export function parameterFormat(d: TemplateDraft): 'POSITIONAL' | 'NAMED' {
  return [...headerVariables(d), ...variables(d.body)].some((v) => !/^\d+$/.test(v)) ? 'NAMED' : 'POSITIONAL';
}

/** Fills each variable with its example; one without an example stays `{{name}}`. */
export function fill(text: string, part: 'header' | 'body', examples: Record<string, string>): string {
  return text.replace(/\{\{\s*([^{}]*?)\s*\}\}/g, (whole, v: string) => examples[`${part}:${v}`]?.trim() || whole);
}

function exampleOf(part: 'header' | 'body', vars: string[], d: TemplateDraft, named: boolean): Record<string, unknown> {
  const values = vars.map((v) => d.examples[`${part}:${v}`] ?? '');
  const key = part === 'header' ? 'header_text' : 'body_text';
  if (named) return { [`${key}_named_params`]: vars.map((v, i) => ({ param_name: v, example: values[i] })) };
  return { [key]: part === 'header' ? values : [values] };
}

/** Meta's component objects for the draft, examples included. */
export function toComponents(d: TemplateDraft): Array<Record<string, unknown>> {
  const named = parameterFormat(d) === 'NAMED';
  const out: Array<Record<string, unknown>> = [];
  if (d.headerFormat === 'TEXT') {
    const vars = headerVariables(d);
    out.push({ type: 'HEADER', format: 'TEXT', text: d.headerText, ...(vars.length ? { example: exampleOf('header', vars, d, named) } : {}) });
  } else if (d.headerFormat === 'LOCATION') {
    out.push({ type: 'HEADER', format: 'LOCATION' });
  } else if (d.headerFormat !== 'NONE') {
    out.push({ type: 'HEADER', format: d.headerFormat, example: { header_handle: [d.headerHandle] } });
  }
  const bodyVars = variables(d.body);
  out.push({ type: 'BODY', text: d.body, ...(bodyVars.length ? { example: exampleOf('body', bodyVars, d, named) } : {}) });
  if (d.footer) out.push({ type: 'FOOTER', text: d.footer });
  if (d.buttons.length) {
    out.push({
      type: 'BUTTONS',
      buttons: d.buttons.map((b) => {
        if (b.type === 'URL') return { type: 'URL', text: b.text, url: b.value, ...(variables(b.value).length ? { example: [b.example] } : {}) };
        if (b.type === 'PHONE_NUMBER') return { type: 'PHONE_NUMBER', text: b.text, phone_number: b.value };
        if (b.type === 'COPY_CODE') return { type: 'COPY_CODE', example: b.example };
        return { type: 'QUICK_REPLY', text: b.text };
      }),
    });
  }
  return out;
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const first = (v: unknown): string => (Array.isArray(v) ? s(v[0]) : s(v));

/** Examples of a stored component, keyed as the draft keys them. */
function examplesOf(part: 'header' | 'body', text: string, example: Record<string, any> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  const key = part === 'header' ? 'header_text' : 'body_text';
  const named = example?.[`${key}_named_params`];
  if (Array.isArray(named)) for (const p of named) out[`${part}:${s(p?.param_name)}`] = s(p?.example);
  const positional = part === 'header' ? example?.header_text : example?.body_text?.[0];
  if (Array.isArray(positional)) variables(text).forEach((v, i) => (out[`${part}:${v}`] = s(positional[i])));
  return out;
}

/** A stored template's components as the editor's form. */
export function fromTemplate(t: { name: string; language: string; category?: string | null; components: Array<Record<string, any>> }): TemplateDraft {
  const d: TemplateDraft = { ...emptyDraft(), name: t.name, language: t.language, category: t.category ?? 'UTILITY' };
  for (const c of t.components) {
    const type = s(c.type).toUpperCase();
    if (type === 'HEADER') {
      d.headerFormat = (s(c.format).toUpperCase() || 'TEXT') as HeaderFormat;
      d.headerText = s(c.text);
      d.headerHandle = first(c.example?.header_handle);
      Object.assign(d.examples, examplesOf('header', d.headerText, c.example));
    } else if (type === 'BODY') {
      d.body = s(c.text);
      Object.assign(d.examples, examplesOf('body', d.body, c.example));
    } else if (type === 'FOOTER') {
      d.footer = s(c.text);
    } else if (type === 'BUTTONS' && Array.isArray(c.buttons)) {
      d.buttons = c.buttons.map((b: Record<string, unknown>) => ({
        type: (s(b.type).toUpperCase() || 'QUICK_REPLY') as ButtonType,
        text: s(b.text),
        value: s(b.url) || s(b.phone_number),
        example: first(b.example),
      }));
    }
  }
  return d;
}
