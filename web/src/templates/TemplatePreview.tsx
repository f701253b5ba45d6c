import { fill, type TemplateDraft } from './templateDraft';

const BUTTON_ICONS: Record<string, string> = { URL: '↗', PHONE_NUMBER: '✆', COPY_CODE: '⧉', QUICK_REPLY: '↩' };

/** The template as the customer would see it, with each variable's example filled in. */
export function TemplatePreview({ draft }: { draft: TemplateDraft }) {
  const { headerFormat } = draft;
  return (
    <figure className="iw-tpl-preview" aria-label="Preview">
      <div className="iw-tpl-bubble">
        {headerFormat === 'TEXT' && draft.headerText && <strong className="iw-tpl-header">{fill(draft.headerText, 'header', draft.examples)}</strong>}
        {headerFormat !== 'TEXT' && headerFormat !== 'NONE' && (
          <div className="iw-tpl-media" data-format={headerFormat}>{headerFormat.toLowerCase()}</div>
        )}
        <p className="iw-tpl-body">{draft.body ? fill(draft.body, 'body', draft.examples) : <em>The message body</em>}</p>
        {draft.footer && <small className="iw-tpl-footer">{draft.footer}</small>}
      </div>
      {draft.buttons.length > 0 && (
        <ul className="iw-tpl-buttons">
          {draft.buttons.map((b, i) => (
            <li key={i}>
              <span aria-hidden="true">{BUTTON_ICONS[b.type]} </span>
              {b.type === 'COPY_CODE' ? 'Copy code' : b.text || '…'}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}
