import { interactive, LIMITS, problems, text, type OfferFormProps, type Values } from './offer';
import { OfferForm } from './OfferForm';

// The server lists no catalog, so the agent types ids; the catalog's is kept for the next product.
const CATALOG_KEY = 'inbox-widget:catalog-id';

/** What is wrong with a product before the server sees it (message.compose.catalog.ts product). */
export const checkProduct = (v: Values) =>
  problems({
    catalogId: v.catalogId?.trim() ? undefined : 'The catalog id is required',
    productRetailerId: v.productRetailerId?.trim() ? undefined : 'The product id is required',
    body: text(v.body, LIMITS.body, 'The message', true),
  });

/** One product of the catalog (Meta's interactive `product`), by catalog id and retailer id (SKU). */
export default function ProductForm(props: OfferFormProps) {
  return (
    <OfferForm
      {...props}
      title="Product"
      submit="Send product"
      fields={[
        { name: 'productRetailerId', label: 'Product id (SKU)' },
        { name: 'catalogId', label: 'Catalog id' },
        { name: 'body', label: 'Text (optional)', area: true },
      ]}
      initial={{ catalogId: localStorage.getItem(CATALOG_KEY) ?? '' }}
      check={checkProduct}
      build={(v) => {
        const [catalogId, productRetailerId, body] = [v.catalogId!.trim(), v.productRetailerId!.trim(), v.body?.trim()];
        localStorage.setItem(CATALOG_KEY, catalogId);
        return interactive(
          { product: { catalogId, productRetailerId, ...(body ? { body } : {}) } },
          { type: 'product', ...(body ? { body: { text: body } } : {}), action: { catalog_id: catalogId, product_retailer_id: productRetailerId } },
          body || `Product ${productRetailerId}`,
        );
      }}
    />
  );
}
