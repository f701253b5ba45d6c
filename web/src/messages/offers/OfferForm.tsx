import { useId, useState, type KeyboardEvent } from 'react';
import type { Offer, OfferFormProps, Problems, Values } from './offer';

/** One field of an offer's form. */
export interface FieldSpec {
  name: string;
  label: string;
  /** Several lines (a message body). */
  area?: boolean;
}

interface Props extends OfferFormProps {
  title: string;
  /** The send button's label, e.g. "Send contact card". */
  submit: string;
  fields: FieldSpec[];
  initial?: Values;
  check: (v: Values) => Problems;
  build: (v: Values) => Offer;
}

/**
 * A small form that sends one offer: checked as the server would before it goes, the server's
 * refusal shown inline and the form kept; closes once the message is stored. Not a <form>: it sits
 * inside the composer's, so Enter in a field sends this offer, not the draft.
 */
export function OfferForm({ title, submit, fields, initial = {}, check, build, onSend, onClose }: Props) {
  const id = useId();
  const [values, setValues] = useState(initial);
  const [wrong, setWrong] = useState<Problems>({});
  const [refused, setRefused] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const send = async () => {
    const found = check(values);
    setWrong(found);
    setRefused(null);
    if (busy || Object.keys(found).length) return;
    setBusy(true);
    try {
      await onSend(build(values));
      onClose();
    } catch (err) {
      setRefused((err as Error).message);
      setBusy(false);
    }
  };
  const onKeyDown = (e: KeyboardEvent) => {
    const t = e.target as HTMLElement;
    if (e.key === 'Escape') {
      e.stopPropagation(); // closes the form, not the widget
      onClose();
    } else if (e.key === 'Enter' && t.tagName === 'INPUT') {
      e.preventDefault();
      void send();
    }
  };

  return (
    <div className="iw-template" role="form" aria-label={title} onKeyDown={onKeyDown}>
      <strong>{title}</strong>
      {fields.map((f, i) => {
        const fid = `${id}${f.name}`;
        const Tag = f.area ? 'textarea' : 'input';
        return (
          <div className="iw-template-field" key={f.name}>
            <label className="iw-template-label" htmlFor={fid}>{f.label}</label>
            <Tag
              id={fid}
              className="iw-template-input"
              rows={f.area ? 3 : undefined}
              autoFocus={i === 0}
              value={values[f.name] ?? ''}
              aria-invalid={!!wrong[f.name]}
              aria-describedby={wrong[f.name] ? `${fid}e` : undefined}
              onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
            />
            {wrong[f.name] && <span className="iw-composer-error" id={`${fid}e`}>{wrong[f.name]}</span>}
          </div>
        );
      })}
      {refused && <p className="iw-composer-error" role="alert">{refused}</p>}
      <div className="iw-offer-actions">
        <button type="button" className="iw-offer-cancel" onClick={onClose}>Cancel</button>
        <button type="button" className="iw-template-send" disabled={busy} onClick={() => void send()}>
          {busy ? 'Sending…' : submit}
        </button>
      </div>
    </div>
  );
}
