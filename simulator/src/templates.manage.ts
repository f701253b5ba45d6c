import { randomBytes, randomInt } from 'node:crypto';
import type { Router } from 'express';
import type { SimulatorCore } from './core.js';
import { metaError, MetaError } from './meta-errors.js';
import { isVersion, locals, reply } from './graph.http.js';
import type { SimTemplate } from './types.js';

const NAME = /^[a-z0-9_]{1,512}$/;
const CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'];

/** Meta's answer to a refused template: code 100 with a subcode and the words Meta shows its users. */
function refuse(subcode: number, title: string, details: string): never {
  throw new MetaError({
    status: 400,
    body: {
      error: {
        message: 'Invalid parameter', type: 'OAuthException', code: 100, error_subcode: subcode,
        error_data: { messaging_product: 'whatsapp', details },
        fbtrace_id: `A${randomBytes(16).toString('base64url')}`,
        ...{ is_transient: false, error_user_title: title, error_user_msg: details },
      },
    },
  });
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The component checks Meta makes at creation: one of each type, a BODY, and the length limits. */
function checkComponents(components: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(components) || !components.length) refuse(2388043, 'Components required', 'The template must have components.');
  const types = components.map((c) => str((c as Record<string, unknown>)?.type).toUpperCase());
  if (new Set(types).size !== types.length) refuse(2388040, 'Duplicate component', 'Each component type may appear only once.');
  const of = (type: string) => components[types.indexOf(type)] as Record<string, unknown> | undefined;
  const body = of('BODY');
  if (!body) refuse(2388043, 'Body required', 'The template must have a BODY component.');
  if (str(body.text).length > 1024) refuse(2388040, 'Body too long', 'The BODY text must be at most 1024 characters.');
  const header = of('HEADER');
  if (header && str(header.format).toUpperCase() === 'TEXT' && str(header.text).length > 60) refuse(2388040, 'Header too long', 'The HEADER text must be at most 60 characters.');
  const footer = of('FOOTER');
  if (footer && str(footer.text).length > 60) refuse(2388040, 'Footer too long', 'The FOOTER text must be at most 60 characters.');
  const buttons = of('BUTTONS')?.buttons;
  if (Array.isArray(buttons) && buttons.length > 10) refuse(2388040, 'Too many buttons', 'A template has at most 10 buttons.');
  return components as Array<Record<string, unknown>>;
}

/**
 * Template management as Meta's Graph API does it: `POST /{waba}/message_templates` (stored PENDING,
 * approved or rejected later by the `/_simulator/template-status` control route, which posts the
 * status webhook), `POST /{template-id}` to edit, and `DELETE /{waba}/message_templates?name=…[&hsm_id=…]`.
 */
export function templateManageRoutes(r: Router, core: SimulatorCore): void {
  const ours = (version: string, waba: string) => isVersion(version) && waba === core.opts.wabaId;

  r.post('/:version/:wabaId/message_templates', (req, res, next) => {
    if (!ours(String(req.params.version), String(req.params.wabaId))) return next('route');
    const b = (locals(res).body ?? {}) as Record<string, unknown>;
    const name = str(b.name);
    const language = str(b.language);
    const category = str(b.category).toUpperCase();
    if (!NAME.test(name)) refuse(2388023, 'Invalid name', 'The name may contain only lowercase letters, digits and underscores.');
    if (!language) refuse(2388043, 'Language required', 'The parameter language is required.');
    if (!CATEGORIES.includes(category)) refuse(2388042, 'Invalid category', 'Category must be MARKETING, UTILITY or AUTHENTICATION.');
    const components = checkComponents(b.components);
    if (core.templates.some((t) => t.name === name && t.language === language)) {
      refuse(2388024, 'Content in this language already exists', `There is already ${language} content for this template. Create a new template and try again.`);
    }
    const format = str(b.parameter_format).toUpperCase() === 'NAMED' ? 'NAMED' : 'POSITIONAL';
    const t: SimTemplate = { id: String(randomInt(10 ** 14, 2 ** 48 - 1)), name, language, status: 'PENDING', category: category as SimTemplate['category'], components, parameter_format: format };
    core.templates.push(t);
    reply(res, 200, { id: t.id, status: t.status, category: t.category });
  });

  r.delete('/:version/:wabaId/message_templates', (req, res, next) => {
    if (!ours(String(req.params.version), String(req.params.wabaId))) return next('route');
    const q = req.query as Record<string, string | undefined>;
    if (!q.name) throw new MetaError(metaError(100, 'The parameter name is required.'));
    const doomed = core.templates.filter((t) => t.name === q.name && (!q.hsm_id || t.id === q.hsm_id));
    if (!doomed.length) refuse(2593002, 'Template not found', `No template named ${q.name}${q.hsm_id ? ` with id ${q.hsm_id}` : ''}.`);
    for (const t of doomed) core.templates.splice(core.templates.indexOf(t), 1);
    reply(res, 200, { success: true });
  });

  r.post('/:version/:templateId', (req, res, next) => {
    if (!isVersion(String(req.params.version))) return next('route');
    const t = core.templates.find((x) => x.id === req.params.templateId);
    if (!t) return next('route');
    // Meta edits only templates out of review.
    if (!['APPROVED', 'REJECTED', 'PAUSED'].includes(t.status)) refuse(2388025, 'Template cannot be edited', `A ${t.status} template cannot be edited.`);
    const b = (locals(res).body ?? {}) as Record<string, unknown>;
    const category = b.category === undefined ? t.category : str(b.category).toUpperCase();
    if (!CATEGORIES.includes(category)) refuse(2388042, 'Invalid category', 'Category must be MARKETING, UTILITY or AUTHENTICATION.');
    const components = b.components === undefined ? t.components : checkComponents(b.components);
    Object.assign(t, { category, components });
    t.status = 'PENDING';
    reply(res, 200, { success: true, id: t.id, status: t.status, category: t.category });
  });
}
