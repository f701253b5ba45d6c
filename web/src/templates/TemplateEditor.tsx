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

const HEADERS = ['NONE', 'TEXT', 'IMAGE', 'VIDEO', 'DOCUMENT', 'LOCATION'];
const BUTTONS = ['QUICK_REPLY', 'URL', 'PHONE_NUMBER', 'COPY_CODE'];

/** What the editor submits: a new template's fields, or an edit's category and components. */
export interface TemplateSubmission {
  name: string;
  language: string;
  category: string;
  parameterFormat: 'POSITIONAL' | 'NAMED';
  components: Array<Record<string, unknown>>;
}

/** What the panel hands the editor. */
export interface TemplateEditorProps {
  template?: EditedTemplate;
  onSubmit: (t: TemplateSubmission) => Promise<unknown>;
  onDone: () => void;
}

/**
 * Admins' template form with a live preview. `onSubmit` sends it (the panel holds the mutations, so this
 * file imports no GraphQL document) and rejects with the server's words, shown beside the form.
 */
export default function TemplateEditor({ template, onSubmit, onDone }: TemplateEditorProps) {
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

  // Every field is a label over its control.
  const input = (label: string, value: string, change: (v: string) => void, more: object = {}) => (
    <label key={label}>
      <span>{label}</span>
      <input value={value} onChange={(e) => change(e.target.value)} {...more} />
    </label>
  );
  const pick = (label: string, value: string, options: readonly string[], change: (v: string) => void) => (
    <label>
      <span>{label}</span>
      <select value={value} onChange={(e) => change(e.target.value)}>{options.map((o) => <option key={o}>{o}</option>)}</select>
    </label>
  );
  const examples = (part: 'header' | 'body', vars: string[]) =>
    vars.map((v) => input(`${part === 'header' ? 'Header' : 'Body'} example for {{${v}}}`, draft.examples[`${part}:${v}`] ?? '', (x) => setExample(`${part}:${v}`, x)));
  const fixed = { disabled: !!template };

  return (
    <div className="iw-tpl-editor">
      <form onSubmit={submit} aria-label={template ? `Edit ${template.name} (${template.language})` : 'New template'}>
        {input('Name', draft.name, (name) => set({ name }), { ...fixed, placeholder: 'order_update' })}
        {input('Language', draft.language, (language) => set({ language }), fixed)}
        {pick('Category', draft.category, ['UTILITY', 'MARKETING', 'AUTHENTICATION'], (category) => set({ category }))}
        {pick('Header', draft.headerFormat, HEADERS, (h) => set({ headerFormat: h as HeaderFormat }))}
        {draft.headerFormat === 'TEXT' && input('Header text', draft.headerText, (headerText) => set({ headerText }))}
        {/^(IMAGE|VIDEO|DOCUMENT)$/.test(draft.headerFormat) && input('Sample handle', draft.headerHandle, (headerHandle) => set({ headerHandle }))}
        {examples('header', headerVariables(draft))}
        <label>
          <span>Body</span>
          <textarea rows={4} placeholder="Hi {{1}}, your order {{2}} has shipped." value={draft.body} onChange={(e) => set({ body: e.target.value })} />
        </label>
        {examples('body', variables(draft.body))}
        {input('Footer', draft.footer, (footer) => set({ footer }))}
        {draft.buttons.map((b, i) => (
          <fieldset key={i}>
            {pick(`Button ${i + 1} type`, b.type, BUTTONS, (type) => setButton(i, { type: type as ButtonType }))}
            {b.type !== 'COPY_CODE' && input(`Button ${i + 1} text`, b.text, (text) => setButton(i, { text }))}
            {/^(URL|PHONE_NUMBER)$/.test(b.type) && input(`Button ${i + 1} ${b.type === 'URL' ? 'URL' : 'phone number'}`, b.value, (value) => setButton(i, { value }))}
            {(b.type === 'COPY_CODE' || (b.type === 'URL' && variables(b.value).length > 0)) && input(`Button ${i + 1} example`, b.example, (example) => setButton(i, { example }))}
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
