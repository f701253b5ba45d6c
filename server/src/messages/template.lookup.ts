import type { TemplateRepository } from '../templates/template.repository.js';
import { templateParameterNames } from '../templates/template.service.js';
import { templateParts } from '../templates/template.components.js';
import type { TemplateInfo } from './message.compose.js';

/** Finds a synced template (any status, so a refusal can say which) by name and language (`en-US` = `en_US`). */
export function templateLookup(templates: TemplateRepository) {
  return async (name: string, language: string): Promise<TemplateInfo | null> => {
    const template = await templates.findSynced(name, language);
    if (!template) return null;
    const names = templateParameterNames(template.components);
    const body = template.components.find((c) => String(c.type).toUpperCase() === 'BODY');
    return {
      status: template.status,
      named: names.format === 'NAMED',
      header: names.headerFormat === 'TEXT' ? names.header : [],
      body: names.body,
      bodyText: typeof body?.text === 'string' ? body.text : null,
      parts: templateParts(template.components),
    };
  };
}
