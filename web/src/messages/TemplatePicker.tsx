import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useMemo, useState } from 'react';
import { graphql } from '../gql';
import { insertMessage } from './insertMessage';
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

/** A template's placeholders in one component's text. */
export interface Placeholders {
  /** Text with {{…}} placeholders, or '' when the component is missing. */
  text: string;
  /** Keys in the order parameters are sent: '1', '2', … (positional) or names. */
  keys: string[];
}

const PLACEHOLDER = /\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g;

/** The text of a template component (BODY, or a TEXT HEADER) and its placeholders. */
export function placeholders(components: readonly Record<string, unknown>[], type: 'BODY' | 'HEADER'): Placeholders {
  const c = components.find((x) => String(x.type ?? '').toUpperCase() === type);
  if (!c || typeof c.text !== 'string') return { text: '', keys: [] };
  if (type === 'HEADER' && c.format != null && String(c.format).toUpperCase() !== 'TEXT') return { text: '', keys: [] };
  const keys = [...new Set(Array.from(c.text.matchAll(PLACEHOLDER), (m) => m[1]!))];
  if (keys.every((k) => /^\d+$/.test(k))) {
    // Positional: {{1}} … {{n}}, sent in order even if the text repeats or reorders them.
    const max = Math.max(0, ...keys.map(Number));
    return { text: c.text, keys: Array.from({ length: max }, (_, i) => String(i + 1)) };
  }
  return { text: c.text, keys };
}

/** The text with the values filled in; empty values show as the placeholder. */
export function fill(text: string, values: Record<string, string>): string {
  return text.replace(PLACEHOLDER, (whole, key: string) => values[key] || whole);
}

const isPositional = (keys: string[]) => keys.every((k) => /^\d+$/.test(k));

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
  const { header, body } = useMemo(
    () => ({
      header: template ? placeholders(template.components, 'HEADER') : { text: '', keys: [] },
      body: template ? placeholders(template.components, 'BODY') : { text: '', keys: [] },
    }),
    [template],
  );
  // Header and body inputs are keyed apart: both may use {{1}}.
  const fields = [...header.keys.map((k) => ({ key: `h:${k}`, name: k, label: `Header {{${k}}}` })), ...body.keys.map((k) => ({ key: `b:${k}`, name: k, label: `{{${k}}}` }))];
  const complete = !!template && fields.every((f) => values[f.key]?.trim());

  const prefixed = (prefix: string) => Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));

  const send = async () => {
    if (!template || !complete || sending) return;
    setSendError(null);
    const positional = isPositional(header.keys) && isPositional(body.keys);
    const value = (key: string) => values[key]!.trim();
    const input = {
      contactId,
      template: {
        name: template.name,
        language: template.language,
        ...(positional
          ? {
              ...(body.keys.length ? { parameters: body.keys.map((k) => value(`b:${k}`)) } : {}),
              ...(header.keys.length ? { headerParameters: header.keys.map((k) => value(`h:${k}`)) } : {}),
            }
          : { namedParameters: fields.map((f) => ({ name: f.name, value: value(f.key) })) }),
      },
    };
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
                type="text"
                required
                value={values[f.key] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [f.key]: e.target.value }))}
              />
            </div>
          ))}
          <div className="iw-template-preview" aria-label="Preview" role="group">
            {header.text && <strong>{fill(header.text, prefixed('h:'))}</strong>}
            <p>{body.text ? fill(body.text, prefixed('b:')) : '(This template has no text body.)'}</p>
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
