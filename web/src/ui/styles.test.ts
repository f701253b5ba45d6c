// @vitest-environment happy-dom
import { expect, test } from 'vitest';
import { addStyles, attachStyles } from './styles';

const order = (root: ShadowRoot) => [...root.querySelectorAll('style')].map((s) => s.dataset.sheet);

test('sheets keep the cascade order in every widget, whenever they arrive; each comes once', () => {
  addStyles('app', '.a{}');
  addStyles('responsive', '.r{}');
  const first = document.createElement('div').attachShadow({ mode: 'open' });
  first.append(document.createElement('div'));
  const detach = attachStyles(first);
  expect(order(first)).toEqual(['app', 'responsive']);
  // Parts loaded on demand, in an order unlike the cascade's.
  addStyles('audit', '.au{}');
  addStyles('messages', '.m{}');
  addStyles('contacts', '.c{}');
  addStyles('messages', '.other{}');
  expect(order(first)).toEqual(['app', 'contacts', 'messages', 'audit', 'responsive']);
  expect(first.querySelector('style[data-sheet="messages"]')!.textContent).toBe('.m{}');
  // A widget mounted later gets them all; one unmounted gets no more.
  const second = document.createElement('div').attachShadow({ mode: 'open' });
  attachStyles(second);
  detach();
  addStyles('team', '.t{}');
  expect(order(second)).toEqual(['app', 'contacts', 'messages', 'team', 'audit', 'responsive']);
  expect(order(first)).toEqual(['app', 'contacts', 'messages', 'audit', 'responsive']);
});
