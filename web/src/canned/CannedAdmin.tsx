import { lazy, Suspense, useState } from 'react';
import { Loading } from '../ui/Loading';

// Only admins open it, and rarely: its code loads on the first opening.
const CannedPanel = lazy(() => import('./CannedPanel').then((m) => ({ default: m.CannedPanel })));

/** The header's button for admins' canned replies panel (CannedPanel.tsx), and the panel when open. */
export function CannedAdmin() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="iw-icon-btn" aria-expanded={open} aria-label="Canned replies" title="Canned replies" onClick={() => setOpen(!open)}>
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path fill="currentColor" d="M4 4h16v12H7l-3 3V4zm3 4v2h10V8H7zm0 4h7v-2H7v2z" />
        </svg>
      </button>
      {open && (
        <Suspense fallback={<Loading className="iw-canned-admin" />}>
          <CannedPanel onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
