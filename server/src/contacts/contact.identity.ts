/** Who a webhook says a person is: phone number, BSUID and profile. */
export interface ContactIdentity {
  waId?: string | null;
  userId?: string | null;
  parentUserId?: string | null;
  profileName?: string | null;
  username?: string | null;
}

/** A non-empty trimmed string, else null. */
export const clean = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** Reads the identity of a `contacts[]` entry of a webhook. */
export function identityFromWebhookContact(c: Record<string, any>): ContactIdentity {
  return {
    waId: clean(c?.wa_id),
    userId: clean(c?.user_id),
    parentUserId: clean(c?.parent_user_id),
    profileName: clean(c?.profile?.name),
    username: clean(c?.profile?.username),
  };
}
