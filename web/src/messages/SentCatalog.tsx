type Json = Record<string, any>;

/** The interactive types that show products of the catalog. */
export const CATALOG_TYPES = ['product', 'product_list', 'catalog_message'];

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** What a sent product, product list or catalog button shows the customer, in a line. */
export function catalogSummary(i: Json): string {
  if (i.type === 'product') return `Product ${i.action?.product_retailer_id ?? '?'} from catalog ${i.action?.catalog_id ?? '?'}`;
  if (i.type === 'product_list') {
    const sections = (i.action?.sections as Json[] | undefined) ?? [];
    const products = sections.reduce((n, s) => n + ((s.product_items as unknown[] | undefined)?.length ?? 0), 0);
    return `${plural(products, 'product')} in ${plural(sections.length, 'section')}`;
  }
  return 'View catalog';
}

/** A product, product list or catalog button we sent: header, body and footer, and what it offers. */
export function SentCatalog({ i }: { i: Json }) {
  const header = i.header?.text as string | undefined;
  const footer = i.footer?.text as string | undefined;
  const sections = i.type === 'product_list' ? ((i.action?.sections as Json[] | undefined) ?? []) : [];
  return (
    <div className="iw-sent-interactive">
      {header && <p className="iw-text"><strong>{header}</strong></p>}
      {i.body?.text && <p className="iw-text">{i.body.text}</p>}
      {footer && <p className="iw-muted">{footer}</p>}
      <p><span className="iw-chip"><span aria-hidden="true">🛍 </span>{catalogSummary(i)}</span></p>
      {sections.length > 0 && <p className="iw-muted">{sections.map((s) => s.title).filter(Boolean).join(' · ')}</p>}
    </div>
  );
}
