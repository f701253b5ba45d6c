/**
 * Reading a template's components as Meta lists them (HEADER, BODY, FOOTER, BUTTONS): what a send of
 * it must or may supply beyond the body and text-header parameters. Pure: no database, no Meta.
 */

/** One button of a template, as Meta listed it. */
export interface TemplateButton {
  /** Its position in the BUTTONS component, from 0: the `index` a send names it by. */
  index: number;
  /** QUICK_REPLY | URL | COPY_CODE | PHONE_NUMBER | OTP | FLOW | CATALOG | …, as Meta says. */
  type: string;
  /** The label (a COPY_CODE button has Meta's fixed "Copy offer code"). */
  text: string;
  /** A URL button's address, `{{1}}` where a send appends its suffix. */
  url?: string;
  /** A URL button whose address ends in a variable: a send must give the suffix. */
  dynamic: boolean;
}

/** The header and buttons of a template. */
export interface TemplateParts {
  /** TEXT | IMAGE | VIDEO | DOCUMENT | LOCATION, or null without a header. */
  headerFormat: string | null;
  /** The header's text (TEXT headers only). */
  headerText: string | null;
  footer: string | null;
  buttons: TemplateButton[];
}

const upper = (v: unknown) => String(v ?? '').toUpperCase();

/** The header, footer and buttons of a template with these components. */
export function templateParts(components: ReadonlyArray<Record<string, unknown>> | null | undefined): TemplateParts {
  const out: TemplateParts = { headerFormat: null, headerText: null, footer: null, buttons: [] };
  for (const c of components ?? []) {
    const type = upper(c.type);
    if (type === 'HEADER') {
      out.headerFormat = upper(c.format ?? 'TEXT');
      if (out.headerFormat === 'TEXT' && typeof c.text === 'string') out.headerText = c.text;
    } else if (type === 'FOOTER' && typeof c.text === 'string') out.footer = c.text;
    else if (type === 'BUTTONS' && Array.isArray(c.buttons)) {
      out.buttons = c.buttons.map((b: Record<string, unknown>, index) => {
        const url = typeof b.url === 'string' ? b.url : undefined;
        return { index, type: upper(b.type), text: typeof b.text === 'string' ? b.text : '', ...(url ? { url } : {}), dynamic: upper(b.type) === 'URL' && /\{\{\s*1\s*\}\}/.test(url ?? '') };
      });
    }
  }
  return out;
}

/** Whether a send must supply a parameter for this button (a URL suffix, a coupon code). */
export const buttonNeedsParameter = (b: TemplateButton): boolean => b.dynamic || b.type === 'COPY_CODE';
