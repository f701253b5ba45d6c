import type { MessageType, SendMessageInput } from '../../gql/graphql';

/** What an offer puts on the wire, and what its pending bubble shows until the server answers. */
export interface Offer {
  input: Omit<SendMessageInput, 'contactId' | 'clientMessageId'>;
  type: MessageType;
  waType: string;
  text: string;
  payload: Record<string, unknown>;
}

/** A form's fields as typed, by name. */
export type Values = Record<string, string>;
/** What is wrong with each field; no keys when the form may be sent. */
export type Problems = Record<string, string>;

/** The limits of server/src/whatsapp/whatsapp.limits.ts these forms check (offers.test.tsx compares them). */
export const LIMITS = { body: 1024, ctaDisplayText: 20 };
/** The server's test of a call-to-action URL (message.compose.kinds.ts). */
export const HTTP_URL = /^https?:\/\/[^\s/]+\S*$/i;
/** The server's test of a contact card's email. */
export const EMAIL = /^[^\s@]+@[^\s@]+$/;

// Meta counts characters, not UTF-16 units: an emoji is one.
const chars = (s: string) => [...s].length;

/** What is wrong with a text of at most `max` characters, required unless `optional`. */
export function text(value: string | undefined, max: number, what: string, optional = false): string | undefined {
  const v = value?.trim() ?? '';
  if (!v) return optional ? undefined : `${what} is required`;
  return chars(v) > max ? `${what} is ${chars(v)} characters; at most ${max}` : undefined;
}

/** The fields that have a problem. */
export const problems = (found: Record<string, string | undefined>): Problems =>
  Object.fromEntries(Object.entries(found).filter((e): e is [string, string] => !!e[1]));

/** An interactive offer; its bubble shows `payload.interactive` as the server will store it. */
export const interactive = (input: Offer['input'], i: Record<string, unknown>, shown: string): Offer => ({
  input,
  type: 'INTERACTIVE',
  waType: 'interactive',
  text: shown,
  payload: { interactive: i },
});

/** What a form needs from the menu that opens it. */
export interface OfferFormProps {
  /** Sends through the composer's optimistic path; rejects with the reason when nothing was stored. */
  onSend: (offer: Offer) => Promise<void>;
  onClose: () => void;
}
