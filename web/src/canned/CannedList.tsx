import { useEffect } from 'react';
import { useCannedReplies } from './canned';
import cannedCss from './canned.css?inline';
import { addStyles } from '../ui/styles';

addStyles('canned', cannedCss);

export interface CannedItem {
  id: string;
  shortcut: string;
  text: string;
}

export interface CannedListProps {
  id: string;
  items: readonly CannedItem[];
  active: number;
  onChoose: (item: CannedItem) => void;
}

/** The canned replies a `/` in the composer offers; the composer's textbox keeps focus and drives it (arrows, Enter, Escape). */
export function CannedList({ id, items, active, onChoose }: CannedListProps) {
  return (
    <ul className="iw-canned" id={id} role="listbox" aria-label="Canned replies">
      {items.length === 0 && <li className="iw-canned-empty">No canned reply matches.</li>}
      {items.map((c, i) => (
        <li
          key={c.id}
          id={`${id}-${c.id}`}
          role="option"
          aria-selected={i === active}
          className="iw-canned-item"
          // mousedown, not click: the textbox must not lose focus first.
          onMouseDown={(e) => {
            e.preventDefault();
            onChoose(c);
          }}
        >
          <strong>/{c.shortcut}</strong>
          <span>{c.text}</span>
        </li>
      ))}
    </ul>
  );
}

/** The list for a `/search` in the composer: reads the canned replies and tells the composer which it shows (for its keys). */
export function CannedPicker({ search, onItems, ...list }: Omit<CannedListProps, 'items'> & { search: string; onItems: (items: readonly CannedItem[]) => void }) {
  const items = useCannedReplies(search);
  useEffect(() => onItems(items), [items, onItems]);
  return <CannedList {...list} items={items} />;
}
