import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestEnv, type TestEnv } from './harness.js';
import { buildWeb, startBrowser, type RunningBrowser } from './browser.harness.js';

/**
 * A team in front of the inbox: the app on a test database, chromium, and a host dashboard on its own
 * origin whose page `/?t=<session token>` mounts the widget with that agent's session. Each agent
 * gets a browser context of their own, as two people at two desks.
 */
export interface TeamDashboard {
  env: TestEnv;
  /** A session token for agent `name` (created on first use) with `role`. */
  session(name: string, role?: 'ADMIN' | 'AGENT' | 'VIEWER'): Promise<string>;
  /** The dashboard of the agent holding `token`, in a new browser context, with the widget open and live. */
  widget(token: string): Promise<Page>;
  close(): Promise<void>;
}

export async function startTeamDashboard(opts: { env?: Record<string, string> } = {}): Promise<TeamDashboard> {
  await buildWeb();
  let appUrl = '';
  const dashboard = http.createServer((req, res) => {
    const token = new URL(req.url ?? '/', 'http://dashboard').searchParams.get('t') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html><head><title>Support dashboard</title></head><body><h1>Support</h1>
      <script src="${appUrl}/widget.js" data-endpoint="${appUrl}/graphql" data-token="${token}"></script></body></html>`);
  });
  await new Promise<void>((resolve) => dashboard.listen(0, '127.0.0.1', resolve));
  const dashboardUrl = `http://127.0.0.1:${(dashboard.address() as AddressInfo).port}`;
  let env: TestEnv | undefined;
  let chrome: RunningBrowser | undefined;
  const contexts: BrowserContext[] = [];
  const close = async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await chrome?.close();
    await env?.close();
    await new Promise((resolve) => dashboard.close(resolve));
  };
  try {
    [env, chrome] = await Promise.all([startTestEnv({ env: { CORS_ORIGINS: dashboardUrl, ...opts.env } }), startBrowser()]);
  } catch (err) {
    await close();
    throw err;
  }
  appUrl = env.app.url;
  const { browser } = chrome;
  const testEnv = env;
  return {
    env: testEnv,
    async session(name, role = 'AGENT') {
      const r = await testEnv.gql(`mutation($input: CreateAgentSessionInput!) { createAgentSession(input: $input) { token } }`, { input: { externalId: name.toLowerCase(), name, role } });
      expect(r.body.errors).toBeUndefined();
      return r.body.data.createAgentSession.token as string;
    },
    async widget(token) {
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, reducedMotion: 'reduce' });
      contexts.push(ctx);
      const page = await ctx.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await page.goto(`${dashboardUrl}/?t=${encodeURIComponent(token)}`);
      await page.getByRole('button', { name: /WhatsApp inbox/ }).click();
      await expect.poll(() => page.locator('.iw-conn').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
      return page;
    },
    close,
  };
}
