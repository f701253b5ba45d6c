import { useState, type FormEvent } from 'react';
import { TemplatePreview } from './TemplatePreview';
import { emptyDraft, fromTemplate, headerVariables, parameterFormat, toComponents, variables, type ButtonType, type DraftButton, type HeaderFormat, type TemplateDraft } from './templateDraft';

/** A stored template the editor changes; without one it creates. */
export interface EditedTemplate {
  id: string;
  name: string;
  language: string;
  category?: string | null;
  components: Array<Record<string, any>>;
}

const HEADERS: HeaderFormat[] = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'];
const BUTTONS: ButtonType[] = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE'];

/** What the editor submits: a new template's fields, or an edit's category and components. */
export interface TemplateSubmission {
  name: string;
  language: string;
  category: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: Array<Record<string, unknown>>;
}

/**
 * Admins' template form with a live preview. `onSubmit` sends it (the panel holds the mutations, so this
 * file imports no GraphQL document) and rejects with the server's words, shown beside the form.
 */
export default function TemplateEditor({ template, onSubmit, onDone }: { template?: EditedTemplate; onSubmit: (t: TemplateSubmission) => Promise<unknown>; onDone: () => void }) {
  const [draft, setDraft] = useState<TemplateDraft>(() => (template ? fromTemplate(template) : emptyDraft()));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (change: Partial<TemplateDraft>) => setDraft((d) => ({ ...d, ...change }));
  const setExample = (key: string, value: string) => setDraft((d) => ({ ...d, examples: { ...d.examples, [key]: value } }));
  const setButton = (i: number, change: Partial<DraftButton>) => set({ buttons: draft.buttons.map((b, j) => (j === i ? { ...b, ...change } : b)) });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const { name, language, category } = draft;
    onSubmit({ name, language, category, parameterFormat: parameterFormat(draft), components: toComponents(draft) }).then(onDone, (err: Error) => {
      setBusy(false);
      setError(err.message);
    });
  };

  const exampleInputs = (part: 'header' | 'body', vars: string[]) =>
    vars.map((v) => (
      <input key={`${part}:${v}`} aria-label={`${part === 'header' ? 'Header' : 'Body'} example for {{${v}}}`} placeholder={`{{${v}}} example`}
        value={draft.examples[`${part}:${v}`] ?? ''} onChange={(e) => setExample(`${part}:${v}`, e.target.value)} />
    ));

  return (
    <div className="iw-tpl-editor">
      <form className="iw-tpl-form" onSubmit={submit} aria-label={template ? `Edit ${template.name} (${template.language})` : 'New template'}>
        <input aria-label="Name" placeholder="order_update" value={draft.name} disabled={!!template} onChange={(e) => set({ name: e.target.value })} />
        <input aria-label="Language" placeholder="en_US" value={draft.language} disabled={!!template} onChange={(e) => set({ language: e.target.value })} />
        <select aria-label="Category" value={draft.category} onChange={(e) => set({ category: e.target.value })}>
          {['UTILITY', 'MARKETING', 'AUTHENTICATION'].map((x) => <option key={x}>{x}</option>)}
        </select>
        <select aria-label="Header" value={draft.headerFormat} onChange={(e) => set({ headerFormat: e.target.value as HeaderFormat })}>
          {HEADERS.map((x) => <option key={x} value={x}>{x === 'NONE' ? 'No header' : `${x} header`}</option>)}
        </select>
        {draft.headerFormat === 'TEXT' && <input aria-label="Header text" maxLength={60} value={draft.headerText} onChange={(e) => set({ headerText: e.target.value })} />}
        {['IMAGE', 'VIDEO', 'DOCUMENT'].includes(draft.headerFormat) && (
          <input aria-label="Sample handle" placeholder="handle of the uploaded sample" value={draft.headerHandle} onChange={(e) => set({ headerHandle: e.target.value })} />
        )}
        {exampleInputs('header', headerVariables(draft))}
        <textarea aria-label="Body" rows={4} placeholder="Hi {{1}}, your order {{2}} has shipped." value={draft.body} onChange={(e) => set({ body: e.target.value })} />
        {exampleInputs('body', variables(draft.body))}
        <input aria-label="Footer" placeholder="Footer (optional)" maxLength={60} value={draft.footer} onChange={(e) => set({ footer: e.target.value })} />
        {draft.buttons.map((b, i) => (
          <fieldset key={i} className="iw-tpl-button">
            <select aria-label={`Button ${i + 1} type`} value={b.type} onChange={(e) => setButton(i, { type: e.target.value as ButtonType })}>
              {BUTTONS.map((x) => <option key={x}>{x}</option>)}
            </select>
            {b.type !== 'COPY_CODE' && <input aria-label={`Button ${i + 1} text`} maxLength={25} value={b.text} onChange={(e) => setButton(i, { text: e.target.value })} />}
            {(b.type === 'URL' || b.type === 'PHONE_NUMBER') && (
              <input aria-label={`Button ${i + 1} ${b.type === 'URL' ? 'URL' : 'phone number'}`} value={b.value} onChange={(e) => setButton(i, { value: e.target.value })} />
            )}
            {(b.type === 'COPY_CODE' || (b.type === 'URL' && variables(b.value).length > 0)) && (
              <input aria-label={`Button ${i + 1} example`} value={b.example} onChange={(e) => setButton(i, { example: e.target.value })} />
            )}
            <button type="button" className="iw-chip-btn" aria-label={`Remove button ${i + 1}`} onClick={() => set({ buttons: draft.buttons.filter((_, j) => j !== i) })}>×</button>
          </fieldset>
        ))}
        {draft.buttons.length < 10 && (
          <button type="button" className="iw-chip-btn" onClick={() => set({ buttons: [...draft.buttons, { type: 'QUICK_REPLY', text: '', value: '', example: '' }] })}>Add button</button>
        )}
        {error && <p className="iw-composer-error" role="alert">{error}</p>}
        <div className="iw-canned-actions">
          <button type="submit" className="iw-chip-btn" disabled={busy}>{template ? 'Submit changes' : 'Submit for review'}</button>
          <button type="button" className="iw-chip-btn" onClick={onDone}>Cancel</button>
        </div>
      </form>
      <TemplatePreview draft={draft} />
    </div>
  );
}
