/**
 * The widget's stylesheets, one per folder, in each mounted widget's Shadow DOM. The inbox's own
 * sheets come with the first paint (app/styles.ts); a part loaded on demand adds its sheet when its
 * code arrives, before it renders. Later rules win over earlier ones of equal specificity, so every
 * shadow root keeps the sheets in ORDER whatever order they arrive in (responsive.css last: it
 * overrides every folder).
 */
const ORDER = ['app', 'ui', 'contacts', 'contacts-header', 'messages', 'notes', 'canned', 'presence', 'team', 'audit', 'responsive'] as const;
export type Sheet = (typeof ORDER)[number];

const sheets = new Map<Sheet, string>();
const roots = new Set<ShadowRoot>();

function insert(root: ShadowRoot, name: Sheet, css: string): void {
  const present = [...root.querySelectorAll<HTMLStyleElement>('style[data-sheet]')];
  if (present.some((s) => s.dataset.sheet === name)) return;
  const style = document.createElement('style');
  style.dataset.sheet = name;
  style.textContent = css;
  const rank = ORDER.indexOf(name);
  const later = present.find((s) => ORDER.indexOf(s.dataset.sheet as Sheet) > rank);
  if (later) later.before(style);
  else if (present.length) present.at(-1)!.after(style);
  else root.prepend(style);
}

/** Adds a folder's stylesheet to every mounted widget, and to those mounted later. */
export function addStyles(name: Sheet, css: string): void {
  if (sheets.has(name)) return;
  sheets.set(name, css);
  for (const root of roots) insert(root, name, css);
}

/** Puts every sheet known so far in `root` and keeps it current until the returned function is called. */
export function attachStyles(root: ShadowRoot): () => void {
  for (const [name, css] of sheets) insert(root, name, css);
  roots.add(root);
  return () => roots.delete(root);
}
