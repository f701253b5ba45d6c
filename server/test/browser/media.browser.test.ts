import { createHash } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestEnv, TEST_TOKEN, type TestEnv } from '../harness.js';
import { buildWeb, screenshot, startBrowser, type RunningBrowser, startDashboard } from '../browser.harness.js';

/**
 * The built widget on another company's dashboard (another origin) shows a customer's photo through
 * the signed URL the API gives, with no credential in any media URL.
 */
let env: TestEnv;
let chrome: RunningBrowser;
let dashboard: Awaited<ReturnType<typeof startDashboard>>;
let dashboardUrl: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  await buildWeb();
  dashboard = await startDashboard(() => env.app.url, TEST_TOKEN);
  dashboardUrl = dashboard.url;
  [env, chrome] = await Promise.all([startTestEnv({ env: { CORS_ORIGINS: dashboardUrl } }), startBrowser()]);
}, 120_000);

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await chrome?.close();
  await env?.close();
  await dashboard?.close();
});

/** A valid 2×2 red PNG, so the browser really decodes what it gets. */
function redPng(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(2, 0); // width
  header.writeUInt32BE(2, 4); // height
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  const row = Buffer.from([0, 255, 0, 0, 255, 0, 0]); // filter byte, two red pixels
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.concat([row, row]))), chunk('IEND', Buffer.alloc(0))]);
}
const PNG = redPng();

describe('media in the widget', () => {
  test('a customer’s photo shows in the conversation, loaded through a signed URL without any token', async () => {
    const ctx = await chrome.browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.setDefaultTimeout(15_000);
    const mediaRequests: { url: string; authorization?: string; status?: number }[] = [];
    page.on('response', (res) => {
      if (res.url().includes('/api/media/')) mediaRequests.push({ url: res.url(), authorization: res.request().headers().authorization, status: res.status() });
    });
    await page.goto(dashboardUrl);

    const mediaId = env.sim.addMedia(PNG, 'image/png');
    const sha256 = createHash('sha256').update(PNG).digest('hex');
    await env.sim.injectInbound({ from: '15557100001', name: 'Photo Sender', message: { image: { id: mediaId, mime_type: 'image/png', sha256, caption: 'The broken shelf' } } });

    await page.getByRole('button', { name: /WhatsApp inbox/ }).click();
    await page.getByRole('button', { name: /^Photo Sender/ }).click();
    const img = page.getByRole('img', { name: 'The broken shelf' });
    // Shown once downloaded, and really decoded by the browser (a refused URL leaves it 0 wide).
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { timeout: 20_000 }).toBe(2);

    const src = (await img.getAttribute('src'))!;
    expect(src).toMatch(new RegExp(`^${env.app.url}/api/media/\\d+\\?exp=\\d+&sig=[\\w-]+$`));
    expect(mediaRequests.length).toBeGreaterThan(0);
    for (const r of mediaRequests) {
      expect(r.url).not.toMatch(/[?&]token=/);
      expect(r.url).not.toContain(TEST_TOKEN);
      expect(r.authorization).toBeUndefined();
      expect(r.status).toBe(200);
    }
    await screenshot(page, 'widget-media-photo');
  }, 60_000);
});
