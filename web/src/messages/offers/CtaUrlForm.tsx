import { HTTP_URL, interactive, LIMITS, problems, text, type OfferFormProps, type Values } from './offer';
import { OfferForm } from './OfferForm';

/** What is wrong with a link button before the server sees it (message.compose.kinds.ts ctaUrl). */
export const checkCtaUrl = (v: Values) =>
  problems({
    body: text(v.body, LIMITS.body, 'The message'),
    displayText: text(v.displayText, LIMITS.ctaDisplayText, 'The button label'),
    url: HTTP_URL.test(v.url?.trim() ?? '') ? undefined : 'The link must start with http:// or https://',
  });

/** A message with one button that opens a link (Meta's interactive `cta_url`). */
export default function CtaUrlForm(props: OfferFormProps) {
  return (
    <OfferForm
      {...props}
      title="Link button"
      submit="Send link button"
      fields={[
        { name: 'body', label: 'Text', area: true },
        { name: 'displayText', label: 'Button label' },
        { name: 'url', label: 'Link (https://…)' },
      ]}
      check={checkCtaUrl}
      build={(v) => {
        const [body, displayText, url] = [v.body!.trim(), v.displayText!.trim(), v.url!.trim()];
        return interactive({ ctaUrl: { body, displayText, url } }, { type: 'cta_url', body: { text: body }, action: { name: 'cta_url', parameters: { display_text: displayText, url } } }, body);
      }}
    />
  );
}
