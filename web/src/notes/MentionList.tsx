import notesCss from './notes.css?inline';
import { addStyles } from '../ui/styles';

addStyles('notes', notesCss);

/** The `@…` being typed at the end of a note and the agents' names it could become; null when none fits. */
export function mentionQuery(draft: string, names: readonly string[]): { before: string; names: string[] } | null {
  const m = /(^|\s)@([^@\n]{0,40})$/.exec(draft);
  if (!m) return null;
  const typed = m[2]!.toLocaleLowerCase();
  const fits = names.filter((n) => n.toLocaleLowerCase().startsWith(typed));
  return fits.length ? { before: draft.slice(0, m.index + m[1]!.length), names: fits.slice(0, 8) } : null;
}

/** Agents a note's `@` may mention; the composer's textbox keeps focus and drives it (arrows, Enter, Escape). */
export function MentionList({ id, names, active, onChoose }: { id: string; names: readonly string[]; active: number; onChoose: (name: string) => void }) {
  return (
    <ul className="iw-canned" id={id} role="listbox" aria-label="Mention an agent">
      {names.map((n, i) => (
        <li
          key={n}
          id={`${id}-m${i}`}
          role="option"
          aria-selected={i === active}
          className="iw-canned-item"
          onMouseDown={(e) => {
            e.preventDefault(); // the textbox keeps focus
            onChoose(n);
          }}
        >
          <strong>@{n}</strong>
        </li>
      ))}
    </ul>
  );
}
