import { templateParameterNames } from '../templates/template.service.js';
import type { TemplateInfo } from './message.compose.js';
import type { Db } from '../db/db.js';

/** Finds a synced template (any status, so a refusal can say which) by name and language (`en-US` = `en_US`). */
export function templateLookup(pool: Db) {
  return async (name: string, language: string): Promise<TemplateInfo | null> => {
    const { rows } = await pool.query(`select status, components from template where name = $1 and language = $2`, [name, language.replace(/-/g, '_')]);
    if (!rows[0]) return null;
    const names = templateParameterNames(rows[0].components);
    const body = (rows[0].components as Array<Record<string, unknown>>).find((c) => String(c.type).toUpperCase() === 'BODY');
    return {
      status: rows[0].status,
      named: names.format === 'NAMED',
      header: names.headerFormat === 'TEXT' ? names.header : [],
      body: names.body,
      bodyText: typeof body?.text === 'string' ? body.text : null,
    };
  };
}
