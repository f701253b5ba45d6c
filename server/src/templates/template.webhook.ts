import type { Tx } from '../db/tx.js';
import type { TemplateChange, TemplateRepository } from './template.repository.js';

/** Webhook fields that change a template. */
export const TEMPLATE_FIELDS = new Set(['message_template_status_update', 'message_template_quality_update', 'template_category_update']);

/** Status events that say nothing certain about the resulting status: a sync tells. */
const NO_STATUS = new Set(['FLAGGED', 'UNARCHIVED', 'LOCKED', 'UNLOCKED']);

type Value = Record<string, any>;
const upper = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim().toUpperCase() : null);

/**
 * Applies a template webhook (status, quality or category) to the stored template, inside the
 * webhook's transaction. Returns false when the webhook needs a sync: the template is not stored
 * yet, or the event does not carry the resulting status.
 */
export async function applyTemplateWebhook(tx: Tx, templates: TemplateRepository, field: string, value: Value): Promise<boolean> {
  const set: TemplateChange = {};
  if (field === 'message_template_status_update') {
    const event = upper(value.event);
    if (!event) return false;
    if (!NO_STATUS.has(event)) set.status = event === 'REINSTATED' ? 'APPROVED' : event;
    if (event === 'REJECTED' || event === 'APPROVED') set.rejectedReason = typeof value.reason === 'string' ? value.reason : null;
    const category = upper(value.message_template_category);
    if (category) set.category = category;
  } else if (field === 'message_template_quality_update') {
    const quality = upper(value.new_quality_score);
    if (quality) set.quality = quality;
  } else if (field === 'template_category_update') {
    // An impending change (correct_category, no previous_category) applies later; its completion comes as its own webhook.
    const category = upper(value.new_category);
    if (category && value.previous_category !== undefined) set.category = category;
  }
  const found = await templates.applyWebhook(tx, {
    waId: value.message_template_id != null ? String(value.message_template_id) : null,
    name: typeof value.message_template_name === 'string' ? value.message_template_name : null,
    language: typeof value.message_template_language === 'string' ? value.message_template_language.replace(/-/g, '_') : null,
  }, set);
  return found && (field !== 'message_template_status_update' || 'status' in set);
}
