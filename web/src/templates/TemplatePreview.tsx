import { fill, type TemplateDraft } from './templateDraft';

/** The template as the customer would see it, with each variable's example filled in. */
export function TemplatePreview({ draft }: { draft: TemplateDraft }) {
  const { headerFormat: h, examples } = draft;
  return (
    <figure aria-label="Preview">
      <div>
        {h === 'TEXT' ? draft.headerText && <strong>{fill(draft.headerText, 'header', examples)}</strong> : h !== 'NONE' && <i data-format={h}>[{h.toLowerCase()}]</i>}
        <span>{fill(draft.body, 'body', examples) || '…'}</span>
        {draft.footer && <small>{draft.footer}</small>}
      </div>
      {draft.buttons.length > 0 && (
        <ul>
          {draft.buttons.map((b, i) => <li key={i}>{b.type === 'COPY_CODE' ? 'Copy code' : b.text || '…'}</li>)}
        </ul>
      )}
    </figure>
  );
}
