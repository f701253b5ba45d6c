import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useMemo, useState } from 'react';
import { graphql } from '../gql';
import { insertMessage } from './insertMessage';
import { TemplateCard } from './TemplateCard';
import { fieldsOf, previewOf, shapeOf, templateInput } from './templateForm';
import { SendMessageMutation } from './useSend';

export const ApprovedTemplatesQuery = graphql(`
  query ApprovedTemplates {
    templates(status: "APPROVED") {
      id
      name
      language
      category
      components
    }
  }
`);

/** Lets the agent send an approved template when the 24-hour window is closed. */
export function TemplatePicker({ contactId }: { contactId: string }) {
  const id = useId();
  const { data, loading, error } = useQuery(ApprovedTemplatesQuery, { fetchPolicy: 'cache-and-network' });
  const templates = data?.templates ?? [];
  const [chosen, setChosen] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [sendError, setSendError] = useState<string | null>(null);
  const [mutate, { loading: sending }] = useMutation(SendMessageMutation);

  const template = templates.find((t) => t.id === chosen) ?? null;
  const shape = useMemo(() => (template ? shapeOf(template) : null), [template]);
  // The media link, header and body placeholders, and the buttons' suffixes and codes the template needs.
  const fields = shape ? fieldsOf(shape) : [];
  const complete = !!shape && fields.every((f) => values[f.key]?.trim());

  const send = async () => {
    if (!shape || !complete || sending) return;
    setSendError(null);
    const input = { contactId, template: templateInput(shape, values) };
    try {
      await mutate({
        variables: { input },
        update: (cache, { data: d }) => {
          if (d?.sendMessage) insertMessage(cache, d.sendMessage, contactId);
        },
      });
      setValues({});
    } catch (err) {
      const message = CombinedGraphQLErrors.is(err) ? (err.errors[0]?.message ?? err.message) : (err as Error).message;
      setSendError(`Template not sent: ${message}`);
    }
  };

  if (error && !data) {
    return (
      <p className="iw-composer-error" role="alert">
        Could not load templates: {error.message}
      </p>
    );
  }
  if (!data && loading) return <p className="iw-template-status">Loading templates…</p>;
  if (templates.length === 0) return <p className="iw-template-status">No approved templates yet.</p>;

  return (
    <form
      className="iw-template"
      aria-label="Send a template"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <label className="iw-template-label" htmlFor={`${id}-template`}>
        Template
      </label>
      <select
        id={`${id}-template`}
        className="iw-template-select"
        value={chosen}
        onChange={(e) => {
          setChosen(e.target.value);
          setValues({});
          setSendError(null);
        }}
      >
        <option value="">Choose a template…</option>
        {templates.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.language})
          </option>
        ))}
      </select>
      {template && (
        <>
          {fields.map((f) => (
            <div className="iw-template-field" key={f.key}>
              <label className="iw-template-label" htmlFor={`${id}-${f.key}`}>
                {f.label}
              </label>
              <input
                id={`${id}-${f.key}`}
                className="iw-template-input"
                type={f.key === 'media' ? 'url' : 'text'}
                required
                maxLength={f.maxLength}
                value={values[f.key] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
              />
            </div>
          ))}
          <div className="iw-template-preview" aria-label="Preview" role="group">
            <TemplateCard view={previewOf(shape!, values)} />
          </div>
        </>
      )}
      {sendError && (
        <p className="iw-composer-error" role="alert">
          {sendError}
        </p>
      )}
      <button type="submit" className="iw-template-send" disabled={!complete || sending}>
        {sending ? 'Sending…' : 'Send template'}
      </button>
    </form>
  );
}
