import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { screenshot } from '../browser.harness.js';
import { startTeamDashboard, type TeamDashboard } from '../team.harness.js';

/**
 * The composer's "+" in a real browser: an agent sends a contact card and a link button from the
 * widget; the simulator (playing Meta) gets exactly Meta's body, and the conversation shows the bubble.
 */

let team: TeamDashboard;
let ada: Page;

beforeAll(async () => {
  team = await startTeamDashboard();
}, 120_000);

afterAll(async () => {
  await team?.close();
});

/** The customer writes (the 24-hour window opens) and Ada opens the conversation in a widget of her own. */
async function openConversation(from: string, name: string, width?: number): Promise<void> {
  ada = await team.widget(await team.session('Ada'));
  if (width) await ada.setViewportSize({ width, height: 740 });
  await team.env.sim.injectInbound({ from, name, text: 'Hello?' });
  await ada.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await ada.getByRole('textbox', { name: 'Message' }).waitFor();
}
const sentOfType = (type: string) => expect.poll(() => team.env.sim.sent.filter((s) => s.type === type).map((s) => s.body), { timeout: 10_000 });
// The widget lives in a shadow root: its focused element is the root's, not the document's.
const hasFocus = (l: Locator) => l.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el);
const plus = () => ada.getByRole('button', { name: 'More kinds of message' });
/** The bubble with `text` once the server stored it (no longer "Sending"). */
async function storedBubble(text: string) {
  const bubble = ada.locator('.iw-bubble', { hasText: text });
  await expect.poll(() => bubble.locator('.iw-ticks').getAttribute('aria-label'), { timeout: 10_000 }).toMatch(/^(Sent|Delivered|Read)$/);
  return bubble;
}

describe('the composer sends the other kinds of message', () => {
  test('a contact card: Meta gets the card as typed, the conversation shows it', async () => {
    await openConversation('15553440001', 'Carla Card');
    await plus().click();
    await ada.getByRole('menuitem', { name: 'Contact card' }).click();
    const form = ada.getByRole('form', { name: 'Contact card' });
    await form.getByRole('button', { name: 'Send contact card' }).click();
    await expect.poll(() => form.getByText('The name is required').isVisible()).toBe(true);
    expect(team.env.sim.sent.filter((s) => s.type === 'contacts')).toEqual([]);
    await screenshot(ada, 'offers-contact-card-form');

    await form.getByLabel('Name', { exact: true }).fill('Ada Support');
    await form.getByLabel('Phone numbers (comma between)').fill('+1 555 0100, +1 555 0101');
    await form.getByLabel('Email', { exact: true }).fill('ada@example.com');
    await form.getByLabel('Company').fill('Acme');
    await form.getByRole('button', { name: 'Send contact card' }).click();

    await sentOfType('contacts').toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '15553440001',
        type: 'contacts',
        contacts: [{ name: { formatted_name: 'Ada Support' }, phones: [{ phone: '+1 555 0100' }, { phone: '+1 555 0101' }], emails: [{ email: 'ada@example.com' }], org: { company: 'Acme' } }],
        biz_opaque_callback_data: expect.stringMatching(/^inbox:\d+$/),
      },
    ]);
    const bubble = await storedBubble('Ada Support');
    expect(await bubble.textContent()).toContain('+1 555 0101');
    expect(await form.count()).toBe(0);
    await screenshot(ada, 'offers-contact-card');
  }, 60_000);

  test('a link button, all by keyboard on a phone-sized screen: Meta gets the cta_url, the conversation shows the link', async () => {
    await openConversation('15553440002', 'Luis Link', 360);
    await plus().focus();
    await ada.keyboard.press('Enter');
    await ada.keyboard.press('End');
    await expect.poll(() => hasFocus(ada.getByRole('menuitem', { name: 'Link button' }))).toBe(true);
    await ada.keyboard.press('Enter');
    const form = ada.getByRole('form', { name: 'Link button' });
    await form.getByLabel('Text', { exact: true }).waitFor();
    const box = (await form.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
    await ada.keyboard.type('Your order is on its way');
    await ada.keyboard.press('Tab');
    await ada.keyboard.type('Track order');
    await ada.keyboard.press('Tab');
    await ada.keyboard.type('https://shop.example/track/42');
    await screenshot(ada, 'offers-link-button-form');
    await ada.keyboard.press('Enter');

    await sentOfType('interactive').toEqual([
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: '15553440002',
        type: 'interactive',
        interactive: { type: 'cta_url', body: { text: 'Your order is on its way' }, action: { name: 'cta_url', parameters: { display_text: 'Track order', url: 'https://shop.example/track/42' } } },
        biz_opaque_callback_data: expect.stringMatching(/^inbox:\d+$/),
      },
    ]);
    const bubble = await storedBubble('Your order is on its way');
    expect(await bubble.getByRole('link', { name: 'https://shop.example/track/42' }).isVisible()).toBe(true);
    // The form closed and the keyboard is back on the "+", where it started.
    expect(await form.count()).toBe(0);
    expect(await hasFocus(plus())).toBe(true);
    // Nothing else went out: the draft was empty and stays so.
    expect(await ada.getByRole('textbox', { name: 'Message' }).inputValue()).toBe('');
    expect(team.env.sim.sent.filter((s) => s.type === 'text')).toEqual([]);
    await screenshot(ada, 'offers-link-button');
  }, 60_000);
});
