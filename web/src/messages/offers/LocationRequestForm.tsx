import { interactive, LIMITS, problems, text, type OfferFormProps, type Values } from './offer';
import { OfferForm } from './OfferForm';

/** What is wrong with a location request before the server sees it. */
export const checkLocationRequest = (v: Values) => problems({ body: text(v.body, LIMITS.body, 'The message') });

/** Asks the customer to share their location (Meta's interactive `location_request_message`). */
export default function LocationRequestForm(props: OfferFormProps) {
  return (
    <OfferForm
      {...props}
      title="Ask for location"
      submit="Send location request"
      fields={[{ name: 'body', label: 'Text', area: true }]}
      initial={{ body: 'Please share your location.' }}
      check={checkLocationRequest}
      build={(v) => {
        const body = v.body!.trim();
        return interactive({ locationRequest: { body } }, { type: 'location_request_message', body: { text: body }, action: { name: 'send_location' } }, body);
      }}
    />
  );
}
