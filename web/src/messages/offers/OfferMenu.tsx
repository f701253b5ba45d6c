import { lazy, Suspense, useEffect, useId, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';
import type { Offer } from './offer';

// Each form loads when first chosen: a build split into chunks keeps them out of the first one.
const FORMS = {
  contact: lazy(() => import('./ContactCardForm')),
  location: lazy(() => import('./LocationRequestForm')),
  product: lazy(() => import('./ProductForm')),
  cta: lazy(() => import('./CtaUrlForm')),
};
type Kind = keyof typeof FORMS;
const ITEMS: Array<[Kind, string]> = [
  ['contact', 'Contact card'],
  ['location', 'Ask for location'],
  ['product', 'Product'],
  ['cta', 'Link button'],
];

export interface OfferMenuProps {
  /** Why none can be sent now (a closed window, a blocked contact); the menu shows it. */
  blocked: string | null;
  onSend: (offer: Offer) => Promise<void>;
}

/**
 * The composer's "+": a menu of the other kinds of message (contact card, location request,
 * product, link button), each a small form above the composer. Arrows move, Escape closes,
 * and focus comes back to the "+".
 */
export function OfferMenu({ blocked, onSend }: OfferMenuProps) {
  const id = useId();
  const [open, setOpen] = useState<'menu' | Kind | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const close = () => {
    setOpen(null);
    button.current?.focus();
  };
  useEffect(() => {
    if (open === 'menu') menu.current?.querySelector<HTMLElement>('[role=menuitem]')?.focus();
  }, [open]);

  const onMenuKey = (e: KeyboardEvent) => {
    const items = [...menu.current!.querySelectorAll<HTMLElement>('[role=menuitem]')];
    const at = items.indexOf(e.target as HTMLElement);
    const to = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: -1 }[e.key];
    if (e.key === 'Escape') {
      e.stopPropagation(); // closes the menu, not the widget
      close();
    } else if (to !== undefined) {
      e.preventDefault();
      items.at(to % items.length)?.focus();
    }
  };
  // Focus gone elsewhere (Tab, a click outside) closes the menu; the "+" toggles it itself. A click on
  // an item must not move focus first (onMouseDown below): where buttons take no focus it would close.
  const onMenuBlur = (e: FocusEvent) => {
    const to = e.relatedTarget as Node | null;
    if (!menu.current?.contains(to) && to !== button.current) setOpen(null);
  };
  const Form = open && open !== 'menu' ? FORMS[open] : null;

  return (
    <>
      <button
        ref={button}
        type="button"
        className="iw-icon-btn iw-offer-btn"
        aria-label="More kinds of message"
        aria-haspopup="menu"
        aria-expanded={open === 'menu'}
        onClick={() => setOpen(open ? null : 'menu')}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z" />
        </svg>
      </button>
      {open === 'menu' && (
        <div className="iw-offer-pop">
          {blocked && <p className="iw-composer-note" id={`${id}n`}>{blocked}</p>}
          <div ref={menu} role="menu" aria-label="Send" aria-describedby={blocked ? `${id}n` : undefined} className="iw-canned" onKeyDown={onMenuKey} onBlur={onMenuBlur} onMouseDown={(e) => e.preventDefault()}>
            {ITEMS.map(([kind, label]) => (
              <button key={kind} type="button" role="menuitem" className="iw-canned-item" aria-disabled={!!blocked} onClick={() => !blocked && setOpen(kind)}>
                {label}
              </button>
            ))}
          </div>
        </div>
      )}
      {Form && (
        <div className="iw-offer-pop">
          <Suspense fallback={<p className="iw-template-status">Loading…</p>}>
            <Form onSend={onSend} onClose={close} />
          </Suspense>
        </div>
      )}
    </>
  );
}
