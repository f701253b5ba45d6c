/**
 * sendMessage's catalog kinds (one product, a product list, the catalog button), through GraphQL to
 * the simulator: the body the simulator records is what Meta would get.
 */
import { describe, expect, it } from 'vitest';
import { sendFixture } from '../../test/send.fixture.js';

const fx = sendFixture('1779', 'id type waType text status waMessageId payload');
const { send, codeOf, lastSent } = fx;
const skus = (n: number, prefix = 'sku') => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

describe('the catalog kinds reach Meta in its shape', () => {
  it('one product, with body and footer', async () => {
    const r = await send({ product: { catalogId: '367025965434465', productRetailerId: 'tea-42', body: 'The tea you asked about', footer: 'In stock' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.sendMessage).toMatchObject({ type: 'INTERACTIVE', waType: 'interactive', text: 'The tea you asked about', waMessageId: expect.any(String) });
    const interactive = {
      type: 'product',
      body: { text: 'The tea you asked about' },
      footer: { text: 'In stock' },
      action: { catalog_id: '367025965434465', product_retailer_id: 'tea-42' },
    };
    expect((await lastSent()).interactive).toEqual(interactive);
    // Stored as other interactive messages are: Meta's object under `interactive`.
    expect(r.body.data.sendMessage.payload).toEqual({ interactive });
  });

  it('one product without body or footer sends neither, and names the product for the agent', async () => {
    const r = await send({ product: { catalogId: '367025965434465', productRetailerId: 'tea-42' } });
    expect(r.body.data.sendMessage.text).toBe('Product tea-42');
    expect((await lastSent()).interactive).toEqual({ type: 'product', action: { catalog_id: '367025965434465', product_retailer_id: 'tea-42' } });
  });

  it('a product list of 30 products in two sections, with a text header', async () => {
    const r = await send({
      productList: {
        header: 'Our teas', body: 'Pick what you like', footer: 'Free delivery', catalogId: '146265584024623',
        sections: [{ title: 'Green', productRetailerIds: skus(20, 'green') }, { title: 'Black', productRetailerIds: skus(10, 'black') }],
      },
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.sendMessage).toMatchObject({ type: 'INTERACTIVE', text: 'Pick what you like', waMessageId: expect.any(String) });
    expect(await lastSent()).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'product_list',
        header: { type: 'text', text: 'Our teas' },
        body: { text: 'Pick what you like' },
        footer: { text: 'Free delivery' },
        action: {
          catalog_id: '146265584024623',
          sections: [
            { title: 'Green', product_items: skus(20, 'green').map((id) => ({ product_retailer_id: id })) },
            { title: 'Black', product_items: skus(10, 'black').map((id) => ({ product_retailer_id: id })) },
          ],
        },
      },
    });
  });

  it('the catalog button, with a thumbnail and without', async () => {
    const r = await send({ catalog: { body: 'Browse our teas', thumbnailProductRetailerId: 'tea-42', footer: 'Best deals' } });
    expect(r.body.data.sendMessage).toMatchObject({ type: 'INTERACTIVE', text: 'Browse our teas', waMessageId: expect.any(String) });
    expect((await lastSent()).interactive).toEqual({
      type: 'catalog_message', body: { text: 'Browse our teas' }, footer: { text: 'Best deals' },
      action: { name: 'catalog_message', parameters: { thumbnail_product_retailer_id: 'tea-42' } },
    });
    fx.t.sim.reset();
    await send({ catalog: { body: 'Browse our teas' } });
    expect((await lastSent()).interactive).toEqual({ type: 'catalog_message', body: { text: 'Browse our teas' }, action: { name: 'catalog_message' } });
  });
});

describe("Meta's limits are checked before Meta sees anything", () => {
  const product = { catalogId: 'c1', productRetailerId: 'p1' };
  const list = { header: 'h', body: 'b', catalogId: 'c1', sections: [{ title: 'S', productRetailerIds: ['p1'] }] };
  it.each([
    ['an empty catalog id', { product: { ...product, catalogId: ' ' } }, 'product.catalogId'],
    ['an empty product id', { product: { ...product, productRetailerId: '' } }, 'product.productRetailerId'],
    ['a product body over 1,024 characters', { product: { ...product, body: 'x'.repeat(1025) } }, 'product.body'],
    ['a product footer over 60 characters', { product: { ...product, footer: 'x'.repeat(61) } }, 'product.footer'],
    ['a list without header text', { productList: { ...list, header: ' ' } }, 'productList.header'],
    ['a list header over 60 characters', { productList: { ...list, header: 'x'.repeat(61) } }, 'productList.header'],
    ['a list without body', { productList: { ...list, body: '' } }, 'productList.body'],
    ['a list body over 1,024 characters', { productList: { ...list, body: 'x'.repeat(1025) } }, 'productList.body'],
    ['a list footer over 60 characters', { productList: { ...list, footer: 'x'.repeat(61) } }, 'productList.footer'],
    ['a list without catalog id', { productList: { ...list, catalogId: '' } }, 'productList.catalogId'],
    ['a list without sections', { productList: { ...list, sections: [] } }, 'productList.sections'],
    ['eleven sections', { productList: { ...list, sections: Array.from({ length: 11 }, (_, i) => ({ title: `S${i}`, productRetailerIds: [`p${i}`] })) } }, 'productList.sections'],
    ['31 products in all', { productList: { ...list, sections: [{ title: 'A', productRetailerIds: skus(16) }, { title: 'B', productRetailerIds: skus(15, 'b') }] } }, 'productList.sections'],
    ['a section without title', { productList: { ...list, sections: [{ title: '', productRetailerIds: ['p1'] }] } }, 'productList.sections[0].title'],
    ['a section title over 24 characters', { productList: { ...list, sections: [{ title: 'x'.repeat(25), productRetailerIds: ['p1'] }] } }, 'productList.sections[0].title'],
    ['a section without products', { productList: { ...list, sections: [{ title: 'S', productRetailerIds: [] }] } }, 'productList.sections[0].productRetailerIds'],
    ['an empty product id in a section', { productList: { ...list, sections: [{ title: 'S', productRetailerIds: ['p1', ' '] }] } }, 'productList.sections[0].productRetailerIds[1]'],
    ['a catalog message without body', { catalog: { body: ' ' } }, 'catalog.body'],
    ['a catalog body over 1,024 characters', { catalog: { body: 'x'.repeat(1025) } }, 'catalog.body'],
    ['a catalog footer over 60 characters', { catalog: { body: 'b', footer: 'x'.repeat(61) } }, 'catalog.footer'],
    ['an empty thumbnail', { catalog: { body: 'b', thumbnailProductRetailerId: '' } }, 'catalog.thumbnailProductRetailerId'],
    ['text with a product', { text: 'hi', product }, 'text'],
    ['two kinds at once', { product, catalog: { body: 'b' } }, undefined],
  ])('refuses %s with BAD_USER_INPUT', async (_what, input, field) => {
    const r = await send(input);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.body.errors?.[0]?.extensions?.field).toBe(field);
    expect(fx.t.sim.requests.filter((q) => q.method === 'POST')).toEqual([]);
  });
});
