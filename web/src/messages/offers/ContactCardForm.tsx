import { EMAIL, problems, type OfferFormProps, type Values } from './offer';
import { OfferForm } from './OfferForm';

const phonesOf = (v: Values) => (v.phones ?? '').split(',').map((p) => p.trim()).filter(Boolean);

/** What is wrong with a contact card before the server sees it (message.compose.kinds.ts contacts). */
export const checkContactCard = (v: Values) => {
  const email = v.email?.trim();
  return problems({
    name: v.name?.trim() ? undefined : 'The name is required',
    // The server takes a card with a name only; the customer could do nothing with it.
    phones: phonesOf(v).length || email ? undefined : 'Add a phone number or an email',
    email: !email || EMAIL.test(email) ? undefined : 'This is not an email address',
  });
};

/** One contact card (vCard): name, phone numbers, email, company. */
export default function ContactCardForm(props: OfferFormProps) {
  return (
    <OfferForm
      {...props}
      title="Contact card"
      submit="Send contact card"
      fields={[
        { name: 'name', label: 'Name' },
        { name: 'phones', label: 'Phone numbers (comma between)' },
        { name: 'email', label: 'Email' },
        { name: 'company', label: 'Company' },
      ]}
      check={checkContactCard}
      build={(v) => {
        const [name, email, company, phones] = [v.name!.trim(), v.email?.trim(), v.company?.trim(), phonesOf(v)];
        const card = {
          ...(phones.length ? { phones: phones.map((phone) => ({ phone })) } : {}),
          ...(email ? { emails: [{ email }] } : {}),
          ...(company ? { org: { company } } : {}),
        };
        return { input: { contacts: [{ formattedName: name, ...card }] }, type: 'CONTACTS', waType: 'contacts', text: `Contact card: ${name}`, payload: { contacts: [{ name: { formatted_name: name }, ...card }] } };
      }}
    />
  );
}
