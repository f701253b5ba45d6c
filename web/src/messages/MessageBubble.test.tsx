// @vitest-environment happy-dom
import { MockedProvider } from '@apollo/client/testing/react';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createCache } from '../shared/cache';
import { media as mediaOf, msg } from '../test/fixtures';
import { MediaAccessContext, MediaUrlQuery } from './mediaUrl';
import { MessageBubble } from './MessageBubble';
import { arrange, dayLabel } from './MessageList';

afterEach(cleanup);

/** An expiry (epoch seconds) an hour from now: a signed URL that is still valid. */
const soon = Math.floor(Date.now() / 1000) + 3600;

const show = (m: ReturnType<typeof msg>, extra: { onRetry?: () => void; reactions?: string[] } = {}) =>
  render(<MessageBubble message={m} contactName="Ada" {...extra} />);

describe('MessageBubble by type', () => {
  test('text keeps line breaks and says who wrote it', () => {
    const { container } = show(msg({ text: 'one\ntwo' }));
    expect(container.querySelector('.iw-text')!.textContent).toBe('one\ntwo');
    expect(screen.getByText('Ada:')).toBeTruthy();
    expect(container.querySelector('.iw-in')).toBeTruthy();
  });

  test.each([
    ['IMAGE', { mimeType: 'image/jpeg', filename: null, voice: null, animated: null }, 'Photo'],
    ['VIDEO', { mimeType: 'video/mp4', filename: null, voice: null, animated: null }, 'Video'],
    ['AUDIO', { mimeType: 'audio/ogg', filename: null, voice: true, animated: null }, 'Voice message'],
    ['DOCUMENT', { mimeType: 'application/pdf', filename: 'invoice.pdf', voice: null, animated: null }, 'Document'],
    ['STICKER', { mimeType: 'image/webp', filename: null, voice: null, animated: true }, 'Animated sticker'],
  ] as const)('%s shows its type, mime type, filename and caption', (type, media, label) => {
    show(msg({ type, waType: type.toLowerCase(), text: type === 'AUDIO' || type === 'STICKER' ? null : 'the caption', media: mediaOf(media) }));
    expect(screen.getByText(label)).toBeTruthy();
    expect(screen.getByText(media.mimeType)).toBeTruthy();
    if (media.filename) expect(screen.getByText(media.filename)).toBeTruthy();
    if (type !== 'AUDIO' && type !== 'STICKER') expect(screen.getByText('the caption')).toBeTruthy();
  });

  test('a downloaded image shows inline from the API origin with its signed URL, no token; the caption is its alt text', () => {
    render(
      <MediaAccessContext.Provider value={{ httpUrl: 'https://api.example.com/graphql' }}>
        <MessageBubble message={msg({ type: 'IMAGE', waType: 'image', text: 'Our new shelf', media: mediaOf({ mimeType: 'image/jpeg', url: `/api/media/123?exp=${soon}&sig=abc`, downloadStatus: 'DOWNLOADED', fileSize: 48_000 }) })} contactName="Ada" />
      </MediaAccessContext.Provider>,
    );
    const img = screen.getByRole('img', { name: 'Our new shelf' }) as HTMLImageElement;
    expect(img.getAttribute('src')).toBe(`https://api.example.com/api/media/123?exp=${soon}&sig=abc`);
    expect(screen.getByText('Our new shelf', { selector: 'p' })).toBeTruthy();
    expect(screen.queryByText('Photo')).toBeNull();
    cleanup();
    // No caption: a generic alt text.
    show(msg({ type: 'IMAGE', text: null, media: mediaOf({ url: '/api/media/124', downloadStatus: 'DOWNLOADED' }) }));
    expect(screen.getByRole('img', { name: 'Image' })).toBeTruthy();
  });

  test('stickers show as images; video and audio get players with controls', () => {
    const { container } = show(msg({ type: 'STICKER', text: null, media: mediaOf({ mimeType: 'image/webp', url: '/api/media/1', downloadStatus: 'DOWNLOADED' }) }));
    expect(container.querySelector('img.iw-media-sticker')).toBeTruthy();
    cleanup();
    const v = show(msg({ type: 'VIDEO', text: null, media: mediaOf({ mimeType: 'video/mp4', url: '/api/media/2', downloadStatus: 'DOWNLOADED' }) }));
    const video = v.container.querySelector('video')!;
    expect(video.hasAttribute('controls')).toBe(true);
    expect(video.getAttribute('src')).toMatch(/\/api\/media\/2$/);
    cleanup();
    const a = show(msg({ type: 'AUDIO', text: null, media: mediaOf({ mimeType: 'audio/ogg', voice: true, url: '/api/media/3', downloadStatus: 'DOWNLOADED' }) }));
    expect(a.container.querySelector('audio')!.hasAttribute('controls')).toBe(true);
  });

  test('while downloading a placeholder shows; a failed download says so with the type', () => {
    show(msg({ type: 'IMAGE', text: 'caption', media: mediaOf({ mimeType: 'image/jpeg', downloadStatus: 'PENDING' }) }));
    expect(screen.getByRole('status').textContent).toBe('Downloading…');
    expect(screen.queryByRole('img')).toBeNull();
    cleanup();
    const { container } = show(msg({ type: 'VIDEO', text: null, media: mediaOf({ mimeType: 'video/mp4', downloadStatus: 'FAILED' }) }));
    expect(container.querySelector('[data-state="failed"]')!.textContent).toBe('Media unavailable (video)');
    expect(container.querySelector('video')).toBeNull();
  });

  test('a downloaded document is a download link with its filename and size', () => {
    render(
      <MediaAccessContext.Provider value={{ httpUrl: 'http://localhost:4000/graphql' }}>
        <MessageBubble message={msg({ type: 'DOCUMENT', waType: 'document', text: null, media: mediaOf({ mimeType: 'application/pdf', filename: 'invoice.pdf', url: `/api/media/77?exp=${soon}&sig=abc`, downloadStatus: 'DOWNLOADED', fileSize: 1_234_567 }) })} contactName="Ada" />
      </MediaAccessContext.Provider>,
    );
    const link = screen.getByRole('link', { name: /invoice\.pdf/ });
    expect(link.getAttribute('href')).toBe(`http://localhost:4000/api/media/77?exp=${soon}&sig=abc`);
    expect(link.getAttribute('download')).toBe('invoice.pdf');
    expect(link.textContent).toContain('1.2 MB');
  });

  /** A bubble whose media URL expired a minute ago, and an API that answers a fresh one. */
  const expiredMedia = (type: 'IMAGE' | 'DOCUMENT', id: string) => {
    const stale = `/api/media/${id}?exp=${Math.floor(Date.now() / 1000) - 60}&sig=old`;
    const fresh = `/api/media/${id}?exp=${soon}&sig=new`;
    const asked = vi.fn(() => ({ data: { mediaUrl: fresh } }));
    const m = msg({ id, type, waType: type.toLowerCase(), text: null, media: mediaOf({ mimeType: type === 'IMAGE' ? 'image/jpeg' : 'application/pdf', filename: type === 'IMAGE' ? null : 'terms.pdf', url: stale, downloadStatus: 'DOWNLOADED' }) });
    render(
      <MockedProvider mocks={[{ request: { query: MediaUrlQuery, variables: { messageId: id } }, result: asked }]} cache={createCache()}>
        <MediaAccessContext.Provider value={{ httpUrl: 'https://api.example.com/graphql' }}>
          <MessageBubble message={m} contactName="Ada" />
        </MediaAccessContext.Provider>
      </MockedProvider>,
    );
    return { stale: `https://api.example.com${stale}`, fresh: `https://api.example.com${fresh}`, asked };
  };

  test('an image whose signed URL expired while the page was open loads again with a fresh one', async () => {
    const { stale, fresh, asked } = expiredMedia('IMAGE', '501');
    const img = screen.getByRole('img', { name: 'Image' });
    expect(img.getAttribute('src')).toBe(stale);
    fireEvent.error(img); // the API refused the expired URL
    await waitFor(() => expect(screen.getByRole('img', { name: 'Image' }).getAttribute('src')).toBe(fresh));
    expect(asked).toHaveBeenCalledTimes(1);
    fireEvent.error(screen.getByRole('img', { name: 'Image' })); // a valid URL that fails is not asked for again
    await new Promise((r) => setTimeout(r, 20));
    expect(asked).toHaveBeenCalledTimes(1);
  });

  test('a document clicked after its URL expired downloads through a fresh one', async () => {
    const { fresh, asked } = expiredMedia('DOCUMENT', '502');
    const link = screen.getByRole('link', { name: /terms\.pdf/ }) as HTMLAnchorElement;
    const clicks: string[] = [];
    link.addEventListener('click', (e) => {
      clicks.push(link.href);
      e.preventDefault(); // happy-dom would navigate
    });
    fireEvent.click(link);
    await waitFor(() => expect(clicks).toEqual([expect.stringContaining('sig=old'), fresh]));
    expect(asked).toHaveBeenCalledTimes(1);
    expect(link.getAttribute('href')).toBe(fresh);
  });

  test('location shows name, address and a map link', () => {
    show(msg({ type: 'LOCATION', text: 'HQ', location: { __typename: 'MessageLocation', latitude: 51.5, longitude: -0.12, name: 'HQ', address: '1 Main St', url: null } }));
    expect(screen.getByText('HQ')).toBeTruthy();
    expect(screen.getByText('1 Main St')).toBeTruthy();
    expect(screen.getByRole('link').getAttribute('href')).toContain('mlat=51.5');
  });

  test('shared contacts list names and phones', () => {
    show(msg({ type: 'CONTACTS', text: null, payload: { contacts: [{ name: { formatted_name: 'John Buyer' }, phones: [{ phone: '+1 555 0100' }] }] } }));
    expect(screen.getByRole('list', { name: 'Shared contacts' })).toBeTruthy();
    expect(screen.getByText('John Buyer')).toBeTruthy();
    expect(screen.getByText('+1 555 0100')).toBeTruthy();
  });

  test('a sent call-to-action shows its button label and URL; a location request says so; a contact card names the contact', () => {
    const cta = { type: 'cta_url', header: { type: 'text', text: 'Order #42' }, body: { text: 'Your order ships today' }, action: { name: 'cta_url', parameters: { display_text: 'Track order', url: 'https://example.com/track/42' } } };
    const { container } = show(msg({ direction: 'OUTBOUND', status: 'SENT', type: 'INTERACTIVE', waType: 'interactive', text: 'Your order ships today', payload: { interactive: cta } }));
    expect(container.querySelector('.iw-out')).toBeTruthy();
    expect(screen.getByText('Order #42')).toBeTruthy();
    expect(screen.getByText('Your order ships today')).toBeTruthy();
    expect(container.querySelector('.iw-sent-interactive')!.textContent).toContain('🔗 Track order → https://example.com/track/42');
    expect(screen.getByRole('link', { name: 'https://example.com/track/42' }).getAttribute('href')).toBe('https://example.com/track/42');
    cleanup();
    const ask = { type: 'location_request_message', body: { text: 'Where should we deliver?' }, action: { name: 'send_location' } };
    show(msg({ direction: 'OUTBOUND', status: 'SENT', type: 'INTERACTIVE', waType: 'interactive', text: 'Where should we deliver?', payload: { interactive: ask } }));
    expect(screen.getByText('Where should we deliver?')).toBeTruthy();
    expect(screen.getByText('Location requested')).toBeTruthy();
    expect(screen.queryByText('Interactive reply')).toBeNull();
    cleanup();
    const { container: card } = show(msg({ direction: 'OUTBOUND', status: 'SENT', type: 'CONTACTS', waType: 'contacts', text: 'Contact card: Ada Lovelace', payload: { contacts: [{ name: { formatted_name: 'Ada Lovelace' } }] } }));
    expect(card.querySelector('.iw-cards li')!.textContent).toBe('👤 Contact card: Ada Lovelace');
  });

  test('a sent product, product list and catalog button say what they offer', () => {
    const sent = (interactive: Record<string, unknown>, text: string) =>
      show(msg({ direction: 'OUTBOUND', status: 'SENT', type: 'INTERACTIVE', waType: 'interactive', text, payload: { interactive } }));
    const { container } = sent({ type: 'product', body: { text: 'The tea you asked about' }, action: { catalog_id: '367025965434465', product_retailer_id: 'tea-42' } }, 'The tea you asked about');
    expect(screen.getByText('The tea you asked about')).toBeTruthy();
    expect(container.querySelector('.iw-chip')!.textContent).toBe('🛍 Product tea-42 from catalog 367025965434465');
    expect(screen.queryByText('Interactive reply')).toBeNull();
    cleanup();
    const items = (n: number) => Array.from({ length: n }, (_, k) => ({ product_retailer_id: `p${k}` }));
    const list = { type: 'product_list', header: { type: 'text', text: 'Our teas' }, body: { text: 'Pick one' }, action: { catalog_id: '1', sections: [{ title: 'Green', product_items: items(2) }, { title: 'Black', product_items: items(1) }] } };
    const { container: l } = sent(list, 'Pick one');
    expect(screen.getByText('Our teas')).toBeTruthy();
    expect(l.querySelector('.iw-chip')!.textContent).toBe('🛍 3 products in 2 sections');
    expect(screen.getByText('Green · Black')).toBeTruthy();
    cleanup();
    const { container: c } = sent({ type: 'catalog_message', body: { text: 'Browse our teas' }, action: { name: 'catalog_message' } }, 'Browse our teas');
    expect(c.querySelector('.iw-chip')!.textContent).toBe('🛍 View catalog');
  });

  test('a sent template shows its header media, footer and buttons with what each carries', () => {
    const rendered = {
      header: { format: 'IMAGE', link: 'https://example.com/parcel.jpg' },
      footer: 'Reply STOP to opt out',
      buttons: [
        { type: 'URL', text: 'Track order', url: 'https://example.com/track/A1B2' },
        { type: 'QUICK_REPLY', text: 'Stop updates', payload: 'STOP' },
        { type: 'COPY_CODE', text: 'Copy offer code', code: 'SPRING20' },
      ],
    };
    const template = { name: 'order_shipped_photo', language: { code: 'en_US' } };
    const { container } = show(msg({ direction: 'OUTBOUND', status: 'SENT', type: 'TEMPLATE', waType: 'template', text: 'Hi Ada, your order is on its way.', payload: { template, rendered } }));
    expect(container.querySelector('.iw-template-media')!.textContent).toBe('🖼️ Image header: https://example.com/parcel.jpg');
    expect(screen.getByRole('link', { name: 'https://example.com/parcel.jpg' }).getAttribute('href')).toBe('https://example.com/parcel.jpg');
    expect(screen.getByText('Hi Ada, your order is on its way.')).toBeTruthy();
    expect(screen.getByText('Reply STOP to opt out')).toBeTruthy();
    const buttons = screen.getByRole('list', { name: 'Buttons' });
    expect([...buttons.querySelectorAll('li')].map((li) => li.textContent)).toEqual(['🔗 Track order → https://example.com/track/A1B2', '↩ Stop updates · payload STOP', '📋 Copy offer code: SPRING20']);
    cleanup();
    // A document by media id; a template sent before headers and buttons were kept shows its text as before.
    const { container: doc } = show(msg({ direction: 'OUTBOUND', status: 'SENT', type: 'TEMPLATE', waType: 'template', text: 'Your invoice INV-7 is attached.', payload: { template, rendered: { header: { format: 'DOCUMENT', id: '4490', filename: 'INV-7.pdf' } } } }));
    expect(doc.querySelector('.iw-template-media')!.textContent).toBe('📄 Document header · INV-7.pdf: media 4490');
    cleanup();
    const { container: old } = show(msg({ direction: 'OUTBOUND', status: 'SENT', type: 'TEMPLATE', waType: 'template', text: 'Hi Ada', payload: { template } }));
    expect(old.querySelector('.iw-template-card')).toBeNull();
    expect(screen.getByText('Hi Ada')).toBeTruthy();
  });

  test('a sent Flow names the Flow its button opens', () => {
    const sent = (parameters: Record<string, unknown>) =>
      show(msg({ direction: 'OUTBOUND', status: 'SENT', type: 'INTERACTIVE', waType: 'interactive', text: 'Dinner tonight?', payload: { interactive: { type: 'flow', header: { type: 'text', text: 'Dinner' }, body: { text: 'Dinner tonight?' }, action: { name: 'flow', parameters } } } }));
    const { container } = sent({ flow_message_version: '3', flow_name: 'Book a table', flow_cta: 'Reserve', flow_action: 'navigate' });
    expect(screen.getByText('Dinner')).toBeTruthy();
    expect(screen.getByText('Dinner tonight?')).toBeTruthy();
    expect(container.querySelector('.iw-chip')!.textContent).toBe('📋 Flow: Book a table → Reserve');
    expect(screen.queryByText('Interactive reply')).toBeNull();
    cleanup();
    const { container: byId } = sent({ flow_message_version: '3', flow_id: '1234567890', flow_cta: 'Book!', mode: 'draft' });
    expect(byId.querySelector('.iw-chip')!.textContent).toBe('📋 Flow: #1234567890 → Book!');
    expect(screen.getByText('(draft)')).toBeTruthy();
  });

  test("a customer's Flow answer shows its answers under a Flow answer chip; an order its items and total", () => {
    const response_json = JSON.stringify({ screen_0_Date_0: '2026-12-24', guests: 4, flow_token: 'AQAAAAACS5Fp' });
    const answer = (text: string | null) =>
      show(msg({ type: 'INTERACTIVE', waType: 'interactive', text, payload: { interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow', body: 'Sent', response_json } } } }));
    const { container } = answer('Flow answer: Date — 2026-12-24; Guests — 4');
    expect(container.querySelector('.iw-chip')!.textContent).toBe('📋 Flow answer');
    expect(container.querySelector('.iw-text')!.textContent).toBe('Date — 2026-12-24; Guests — 4');
    expect(screen.queryByText('Form reply')).toBeNull();
    cleanup();
    // A row stored before summaries existed still says what Meta sent.
    const { container: old } = answer(null);
    expect(old.querySelector('.iw-text')!.textContent).toBe('Sent');
    cleanup();
    const summary = '🛒 Order: 2 × Blue shirt (SKU123) 19.99 EUR, 1 × SKU124 19.99 EUR — total 59.97 EUR';
    const order = { product_items: [{ product_retailer_id: 'SKU123', quantity: 2, item_price: 19.99, currency: 'EUR' }, { product_retailer_id: 'SKU124', quantity: 1, item_price: 19.99, currency: 'EUR' }] };
    const { container: o } = show(msg({ type: 'ORDER', waType: 'order', text: summary, payload: { order } }));
    expect(o.querySelector('.iw-text')!.textContent).toBe(summary);
    cleanup();
    show(msg({ type: 'ORDER', waType: 'order', text: null, payload: { order } }));
    expect(screen.getByText('🛒 Order')).toBeTruthy();
  });

  test('interactive and button replies are labelled as such', () => {
    show(msg({ type: 'INTERACTIVE', text: 'Yes, confirm', payload: { interactive: { type: 'button_reply', button_reply: { id: 'y', title: 'Yes, confirm' } } } }));
    expect(screen.getByText('Button reply')).toBeTruthy();
    expect(screen.getByText('Yes, confirm')).toBeTruthy();
    cleanup();
    show(msg({ type: 'INTERACTIVE', text: 'Blue', payload: { interactive: { type: 'list_reply', list_reply: { id: 'b', title: 'Blue', description: 'The blue one' } } } }));
    expect(screen.getByText('List reply')).toBeTruthy();
    expect(screen.getByText('The blue one')).toBeTruthy();
    cleanup();
    show(msg({ type: 'BUTTON', text: 'Stop promotions' }));
    expect(screen.getByText('Button')).toBeTruthy();
    expect(screen.getByText('Stop promotions')).toBeTruthy();
  });

  test('unsupported messages say so, with Meta type', () => {
    show(msg({ type: 'UNSUPPORTED', waType: 'poll', text: null }));
    expect(screen.getByText(/Unsupported message \(poll\)/)).toBeTruthy();
  });

  test('deleted messages show only the notice', () => {
    const { container } = show(msg({ text: 'secret', isDeleted: true }));
    expect(screen.getByText('This message was deleted')).toBeTruthy();
    expect(container.textContent).not.toContain('secret');
  });

  test('edited and forwarded are marked', () => {
    show(msg({ editedAt: '2026-01-01T12:01:00.000Z', forwarded: true }));
    expect(screen.getByText('Edited')).toBeTruthy();
    expect(screen.getByText('Forwarded')).toBeTruthy();
  });

  test('a reply quotes its original', () => {
    show(msg({ contextWaMessageId: 'wamid.x', replyTo: { __typename: 'Message', id: '1', direction: 'OUTBOUND', type: 'TEXT', text: 'Your order shipped', isDeleted: false, media: null } }));
    const quote = document.querySelector('blockquote')!;
    expect(quote.textContent).toContain('You');
    expect(quote.textContent).toContain('Your order shipped');
  });

  test('outbound messages carry ticks', () => {
    show(msg({ direction: 'OUTBOUND', status: 'DELIVERED' }));
    expect(screen.getByRole('img', { name: 'Delivered' })).toBeTruthy();
  });

  test('a failed message explains Meta error and retries', () => {
    const onRetry = vi.fn();
    const m = msg({
      direction: 'OUTBOUND',
      status: 'FAILED',
      text: 'hi',
      error: { __typename: 'MessageError', code: 131047, title: 'Re-engagement message', message: 'More than 24 hours have passed', details: 'Use a template' },
    });
    show(m, { onRetry });
    expect(screen.getByRole('img', { name: 'Not delivered' })).toBeTruthy();
    const note = screen.getByRole('note');
    expect(note.textContent).toContain('Re-engagement message');
    expect(note.textContent).toContain('131047');
    expect(note.textContent).toContain('More than 24 hours have passed');
    expect(note.textContent).toContain('Use a template');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(onRetry).toHaveBeenCalledWith(m);
  });

  test('Reply offers the message to quote; not for deleted messages or unsent ones', () => {
    const onReply = vi.fn();
    const m = msg({ text: 'Where is it?' });
    render(<MessageBubble message={m} contactName="Ada" onReply={onReply} />);
    fireEvent.click(screen.getByRole('button', { name: 'Reply to Ada’s message' }));
    expect(onReply).toHaveBeenCalledWith(m);
    cleanup();
    render(<MessageBubble message={msg({ isDeleted: true })} contactName="Ada" onReply={onReply} />);
    expect(screen.queryByRole('button', { name: /Reply/ })).toBeNull();
    cleanup();
    render(<MessageBubble message={msg({ direction: 'OUTBOUND', status: 'PENDING', waMessageId: null })} contactName="Ada" onReply={onReply} />);
    expect(screen.queryByRole('button', { name: /Reply/ })).toBeNull();
  });

  test('system messages render as a notice', () => {
    const { container } = show(msg({ type: 'SYSTEM', waType: 'request_welcome', text: null }));
    expect(container.querySelector('.iw-system')!.textContent).toContain('request welcome');
  });
});

describe('dayLabel', () => {
  const now = new Date(2026, 5, 10, 15, 0);
  test('today, yesterday, weekday, then date', () => {
    expect(dayLabel(new Date(2026, 5, 10, 1, 0).toISOString(), now)).toBe('Today');
    expect(dayLabel(new Date(2026, 5, 9, 23, 0).toISOString(), now)).toBe('Yesterday');
    expect(dayLabel(new Date(2026, 5, 6, 12, 0).toISOString(), now)).toBe(new Date(2026, 5, 6).toLocaleDateString([], { weekday: 'long' }));
    expect(dayLabel(new Date(2025, 0, 2, 12, 0).toISOString(), now)).toContain('2025');
  });
});

describe('arrange', () => {
  test('orders oldest first and folds reactions into their message', () => {
    const a = msg({ text: 'first', waMessageId: 'w1' });
    const b = msg({ text: 'second', direction: 'OUTBOUND', status: 'READ', waMessageId: 'w2' });
    const r1 = msg({ type: 'REACTION', text: null, reaction: { __typename: 'MessageReaction', messageId: 'w2', emoji: '👍' } });
    const r2 = msg({ type: 'REACTION', text: null, reaction: { __typename: 'MessageReaction', messageId: 'w2', emoji: '❤️' } });
    const orphan = msg({ type: 'REACTION', text: null, reaction: { __typename: 'MessageReaction', messageId: 'not-loaded', emoji: '😂' } });
    const { items, reactions } = arrange([orphan, r2, r1, b, a]);
    expect(items.map((m) => m.id)).toEqual([a.id, b.id, orphan.id]);
    expect(reactions.get('w2')).toEqual(['❤️']); // the customer's latest reaction replaces the earlier one
  });

  test('a removed reaction (null emoji) clears it', () => {
    const a = msg({ waMessageId: 'w9', direction: 'OUTBOUND', status: 'READ' });
    const r1 = msg({ type: 'REACTION', text: null, reaction: { __typename: 'MessageReaction', messageId: 'w9', emoji: '👍' } });
    const r2 = msg({ type: 'REACTION', text: null, reaction: { __typename: 'MessageReaction', messageId: 'w9', emoji: null } });
    expect(arrange([r2, r1, a]).reactions.has('w9')).toBe(false);
  });
});
