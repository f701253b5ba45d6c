import { PHONE_NUMBER_ID } from './harness.js';

let seq = 0;
export const wamid = () => `wamid.TEST${Date.now().toString(36)}${(seq++).toString(36)}`;
const now = () => Math.floor(Date.now() / 1000);

/** A `messages` change value with the given contacts, messages and statuses. */
export function value(v: { contacts?: object[]; messages?: object[]; statuses?: object[]; errors?: object[] }) {
  return { messaging_product: 'whatsapp', metadata: { display_phone_number: '15550001111', phone_number_id: PHONE_NUMBER_ID }, ...v };
}

/** A whole webhook body: one entry per item of `changes` (each a `messages` value unless a field is given). */
export function envelope(...changes: Array<object | { field: string; value: object }>) {
  return {
    object: 'whatsapp_business_account',
    entry: changes.map((c) => ({ id: 'waba-1', changes: ['field' in c ? c : { field: 'messages', value: c }] })),
  };
}

export function textMessage(o: { id?: string; from?: string; userId?: string; text?: string; ts?: number; name?: string } = {}) {
  const from = o.from ?? '15551230000';
  const id = o.id ?? wamid();
  return {
    id,
    body: value({
      contacts: [{ profile: { name: o.name ?? 'Customer' }, wa_id: from, ...(o.userId ? { user_id: o.userId } : {}) }],
      messages: [{ from, ...(o.userId ? { from_user_id: o.userId } : {}), id, timestamp: String(o.ts ?? now()), type: 'text', text: { body: o.text ?? 'hello' } }],
    }),
  };
}

export function status(o: { id: string; status: string; ts?: number; opaque?: string; recipient?: string; errors?: object[] }) {
  return value({
    statuses: [{
      id: o.id, status: o.status, timestamp: String(o.ts ?? now()), recipient_id: o.recipient ?? '15551230000',
      ...(o.opaque ? { biz_opaque_callback_data: o.opaque } : {}), ...(o.errors ? { errors: o.errors } : {}),
    }],
  });
}
