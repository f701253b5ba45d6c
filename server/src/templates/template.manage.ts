import { AppError } from '../errors.js';
import { WhatsAppApiError, type WhatsAppClient } from '../whatsapp/whatsapp.client.js';
import { Template } from './template.entity.js';
import type { TemplateRepository } from './template.repository.js';
import { checkCategory, checkComponents, checkTemplate, type TemplateDraft } from './template.rules.js';

/** What an edit may change: Meta edits a template's category and components, not its name or language. */
export interface TemplateEdit {
  category?: string | null;
  components?: Array<Record<string, unknown>> | null;
}

/**
 * Templates managed from the inbox: each change is checked against Meta's rules (template.rules.ts),
 * made at Meta through the Graph API client, and only then stored. Later status changes arrive by the
 * `message_template_status_update` webhook.
 */
export class TemplateManager {
  constructor(private readonly whatsapp: WhatsAppClient, private readonly templates: TemplateRepository) {}

  /** Submits a new template for review; answers it as stored (status as Meta answered, usually PENDING). */
  async create(input: TemplateDraft): Promise<Template> {
    const t = checkTemplate(input);
    const result = await atMeta(() => this.whatsapp.createTemplate({
      name: t.name, language: t.language, category: t.category, parameter_format: t.parameterFormat, components: t.components,
    }));
    return this.templates.recordCreated({
      waId: result.id, name: t.name, language: t.language, status: result.status ?? 'PENDING', category: result.category ?? t.category,
      components: t.components, parameterFormat: t.parameterFormat, quality: null, rejectedReason: null,
    });
  }

  /** Edits a template's category or components at Meta; it goes back to review. */
  async update(id: string, edit: TemplateEdit): Promise<Template> {
    const t = await this.find(id);
    if (!t.waId) throw new AppError('BAD_USER_INPUT', `template ${t.name} (${t.language}) has no id at Meta yet; run syncTemplates`, { field: 'id' });
    if (!edit.category && !edit.components) throw new AppError('BAD_USER_INPUT', 'give a category or components to change', { field: 'input' });
    const category = edit.category ? checkCategory(edit.category) : (t.category ?? 'UTILITY');
    const format = t.parameterFormat === 'NAMED' ? 'NAMED' : 'POSITIONAL';
    if (edit.components) checkComponents(edit.components, category, format);
    const change = { ...(edit.category ? { category } : {}), ...(edit.components ? { components: edit.components } : {}) };
    const waId = t.waId;
    const result = await atMeta(() => this.whatsapp.editTemplate(waId, change));
    return this.templates.recordEdit(t, { ...change, ...(result.status ? { status: result.status } : {}) });
  }

  /** Deletes a template at Meta: this language only, or with `allLanguages` every language of its name. Answers those now DELETED. */
  async delete(id: string, allLanguages = false): Promise<Template[]> {
    const t = await this.find(id);
    if (t.status === 'DELETED') throw new AppError('BAD_USER_INPUT', `template ${t.name} (${t.language}) is already deleted`, { field: 'id' });
    if (!allLanguages && !t.waId) throw new AppError('BAD_USER_INPUT', `template ${t.name} (${t.language}) has no id at Meta yet; run syncTemplates`, { field: 'id' });
    await atMeta(() => this.whatsapp.deleteTemplate(t.name, allLanguages ? undefined : (t.waId ?? undefined)));
    return this.templates.recordDeleted(t.name, allLanguages ? undefined : t.language);
  }

  private async find(id: string): Promise<Template> {
    const t = /^\d{1,18}$/.test(id) ? await this.templates.findOne({ id }) : null;
    if (!t) throw new AppError('NOT_FOUND', `no template ${id}`, { field: 'id' });
    return t;
  }
}

/** Meta's refusal as a GraphQL error: Meta's own words (title and details) and its code. */
async function atMeta<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (!(err instanceof WhatsAppApiError)) throw err;
    const words = [err.title, err.details].filter((w, i, all): w is string => !!w && all.indexOf(w) === i).join(': ') || err.message;
    throw new AppError('WHATSAPP_ERROR', `Meta refused the template: ${words}`, { whatsappCode: err.code });
  }
}
