import { MessageType } from './message.enums.js';
import { LIMITS } from '../whatsapp/whatsapp.limits.js';
import { bad, checkLength, nonBlank, textParts } from './message.compose.checks.js';
import type { CatalogMessageInput, ProductInput, ProductListInput } from './send.input.catalog.js';
import type { Composed } from './message.compose.js';

const interactiveOf = (interactive: Record<string, unknown>, text: string): Omit<Composed, 'needsWindow'> => ({
  type: MessageType.INTERACTIVE, waType: 'interactive', text, payload: { interactive },
});

/** One product of the catalog: Meta's interactive `product` (no header; body optional). */
export function product(p: ProductInput): Omit<Composed, 'needsWindow'> {
  nonBlank(p.catalogId, 'product.catalogId');
  nonBlank(p.productRetailerId, 'product.productRetailerId');
  if (p.body != null) nonBlank(p.body, 'product.body');
  checkLength(p.body, LIMITS.body, 'product.body');
  checkLength(p.footer, LIMITS.footer, 'product.footer');
  const interactive = {
    type: 'product',
    ...(p.body ? { body: { text: p.body } } : {}),
    ...(p.footer ? { footer: { text: p.footer } } : {}),
    action: { catalog_id: p.catalogId, product_retailer_id: p.productRetailerId },
  };
  // Without a body, what an agent reads and search finds is the product it showed.
  return interactiveOf(interactive, p.body ?? `Product ${p.productRetailerId}`);
}

/** Up to 30 products in titled sections: Meta's interactive `product_list` (text header and body required). */
export function productList(l: ProductListInput): Omit<Composed, 'needsWindow'> {
  nonBlank(l.header, 'productList.header');
  checkLength(l.header, LIMITS.header, 'productList.header');
  nonBlank(l.body, 'productList.body');
  checkLength(l.body, LIMITS.body, 'productList.body');
  checkLength(l.footer, LIMITS.footer, 'productList.footer');
  nonBlank(l.catalogId, 'productList.catalogId');
  if (l.sections.length < 1 || l.sections.length > LIMITS.productSections) bad(`between 1 and ${LIMITS.productSections} sections`, 'productList.sections');
  const sections = l.sections.map((s, i) => {
    const at = `productList.sections[${i}]`;
    nonBlank(s.title, `${at}.title`);
    checkLength(s.title, LIMITS.productSectionTitle, `${at}.title`);
    if (s.productRetailerIds.length < 1) bad(`${at} needs at least one product`, `${at}.productRetailerIds`);
    s.productRetailerIds.forEach((id, j) => nonBlank(id, `${at}.productRetailerIds[${j}]`));
    return { title: s.title, product_items: s.productRetailerIds.map((id) => ({ product_retailer_id: id })) };
  });
  const total = l.sections.reduce((n, s) => n + s.productRetailerIds.length, 0);
  if (total > LIMITS.products) bad(`at most ${LIMITS.products} products in all, got ${total}`, 'productList.sections');
  const interactive = {
    type: 'product_list',
    ...textParts(l.header, l.body, l.footer),
    action: { catalog_id: l.catalogId, sections },
  };
  return interactiveOf(interactive, l.body);
}

/** A button that opens the catalog: Meta's interactive `catalog_message`. */
export function catalog(c: CatalogMessageInput): Omit<Composed, 'needsWindow'> {
  nonBlank(c.body, 'catalog.body');
  checkLength(c.body, LIMITS.body, 'catalog.body');
  checkLength(c.footer, LIMITS.footer, 'catalog.footer');
  if (c.thumbnailProductRetailerId != null) nonBlank(c.thumbnailProductRetailerId, 'catalog.thumbnailProductRetailerId');
  const interactive = {
    type: 'catalog_message',
    ...textParts(null, c.body, c.footer),
    action: {
      name: 'catalog_message',
      ...(c.thumbnailProductRetailerId ? { parameters: { thumbnail_product_retailer_id: c.thumbnailProductRetailerId } } : {}),
    },
  };
  return interactiveOf(interactive, c.body);
}
