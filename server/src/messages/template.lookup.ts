import type pg from 'pg';
import type { TemplateInfo } from './message.compose.js';

/** Placeholders of a template's body and header: '1', '2' … or names, in order of appearance. */
export function placeholders(components: Array<Record<string, any>>): { names: string[]; bodyText: string | null } {
  const names: string[] = [];
  let bodyText: string | null = null;
  for (const c of components ?? []) {
    const type = String(c.type ?? '').toUpperCase();
    if (type !== 'BODY' && type !== 'HEADER') continue;
    if (type === 'BODY') bodyText = typeof c.text === 'string' ? c.text : null;
    for (const m of String(c.text ?? '').matchAll(/\{\{\s*(\w+)\s*\}\}/g)) if (!names.includes(m[1]!)) names.push(m[1]!);
  }
  return { names, bodyText };
}

/** Finds a synced template by name and language. */
export function templateLookup(pool: pg.Pool) {
  return async (name: string, language: string): Promise<TemplateInfo | null> => {
    let rows: Array<{ status: string; components: Array<Record<string, any>> }>;
    try {
      ({ rows } = await pool.query(`select status, components from template where name = $1 and language = $2`, [name, language]));
    } catch (err) {
      if ((err as { code?: string }).code === '42P01') return null; // templates not synced into this database yet
      throw err;
    }
    if (!rows[0]) return null;
    const { names, bodyText } = placeholders(rows[0].components);
    return { status: rows[0].status, parameterNames: names, bodyText };
  };
}
