import { z } from 'zod';

/**
 * The envelope of a Meta webhook, parsed leniently: only what routing needs is checked; every
 * other field passes through untouched and is kept in the stored raw body.
 */
export const webhookEnvelope = z.looseObject({
  object: z.string().optional(),
  entry: z.array(
    z.looseObject({
      id: z.union([z.string(), z.number()]).optional(),
      changes: z.array(z.looseObject({ field: z.string(), value: z.record(z.string(), z.any()).nullable().optional() })),
    }),
  ),
});
/** A parsed webhook body: its entries and their changes. */
export type WebhookEnvelope = z.infer<typeof webhookEnvelope>;

/** A failure that retrying cannot fix (unreadable or foreign body): the event is failed at once. */
export class PermanentWebhookError extends Error {}

/** Parses a stored body as a webhook envelope; PermanentWebhookError when it is not JSON or not one. */
export function parseWebhookBody(body: Buffer): WebhookEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new PermanentWebhookError(`body is not JSON: ${(err as Error).message}`);
  }
  const parsed = webhookEnvelope.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new PermanentWebhookError(`not a WhatsApp webhook: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return parsed.data;
}
