import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../config.js';
import { dashboardPage, escapeHtml, scriptJson } from './dashboard.page.js';
import { siteRouter } from './site.routes.js';

// A stand-in build, so these tests don't depend on `npm run build:web` having run.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'web-routes-'));
fs.mkdirSync(path.join(root, 'web/dist/graphiql'), { recursive: true });
fs.mkdirSync(path.join(root, 'web/dist/widget'), { recursive: true });
fs.writeFileSync(path.join(root, 'web/dist/widget.js'), `(()=>{window.InboxWidget={};import(new URL('./widget/main-Ab_c-123.js',document.currentScript.src).href)${'/* padding */'.repeat(500)}})();`);
fs.writeFileSync(path.join(root, 'web/dist/widget/main-Ab_c-123.js'), `export function mount(){}${'/* padding */'.repeat(500)}`);
fs.writeFileSync(path.join(root, 'package.json'), '{}');
fs.writeFileSync(path.join(root, 'web/dist/graphiql/graphiql.html'), '<!doctype html><html><head><title>GraphiQL</title></head><body></body></html>');

async function serve(env: Record<string, string>, demoSession?: () => Promise<string>) {
  const app = express();
  app.use(siteRouter({ config: loadConfig({ LOG_LEVEL: 'silent', ...env }), root, demoSession, log: { warn: () => undefined } }));
  app.use((_req, res) => void res.status(404).send('fell through'));
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('web routes', () => {
  let demo: Awaited<ReturnType<typeof serve>>;
  let broken: Awaited<ReturnType<typeof serve>>;
  let real: Awaited<ReturnType<typeof serve>>;
  let sessions = 0;
  beforeAll(async () => {
    // A configured key beside the demo (DEMO=1): the pages get sessions, never the key.
    demo = await serve({ DEMO: '1', AUTH_TOKENS: 'demo-token"<x>' }, async () => `session-${++sessions}"<x>`);
    broken = await serve({ DEMO: '1', AUTH_TOKENS: 'demo-token' }, async () => Promise.reject(new Error('agent demo-admin is deactivated')));
    real = await serve({
      AUTH_TOKENS: 'real-token',
      WHATSAPP_API_TOKEN: 'graph',
      SESSION_SECRET: 'site-routes-test-session-secret-0123456789',
      WHATSAPP_PHONE_NUMBER_ID: '1',
      WHATSAPP_APP_SECRET: 's',
      WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'v',
    });
  });
  afterAll(() => {
    demo.server.close();
    broken.server.close();
    real.server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('demo mode: the dashboard mounts the widget with a new session on every load, escaped, and never a configured key', async () => {
    const first = await (await fetch(`${demo.url}/`)).text();
    expect(first).toMatch(/<script src="\/widget.js" data-endpoint="\/graphql" data-token="session-\d+&quot;&lt;x&gt;"><\/script>/);
    const second = await (await fetch(`${demo.url}/`)).text();
    expect(/data-token="([^"]+)"/.exec(second)![1]).not.toBe(/data-token="([^"]+)"/.exec(first)![1]); // a reload renews it
    for (const html of [first, second]) {
      expect(html).not.toContain('demo-token');
      expect(html).not.toContain('token-form');
    }
  });

  test('demo mode without a session to give (its admin deactivated, say) asks for a token and embeds none', async () => {
    const html = await (await fetch(`${broken.url}/`)).text();
    expect(html).not.toContain('data-token');
    expect(html).not.toContain('demo-token');
    expect(html).toContain('id="token-form"');
  });

  test('outside demo mode the token never reaches the page; it asks for one', async () => {
    const res = await fetch(`${real.url}/`);
    const html = await res.text();
    expect(html).not.toContain('real-token');
    expect(html).toContain('id="token-form"');
    expect(html).toContain('InboxWidget.mount(document.body');
    expect(html).toContain('createAgentSession');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  test('GET /graphql from a browser is GraphiQL; API clients fall through to GraphQL', async () => {
    const page = await fetch(`${demo.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    const graphiql = await page.text();
    expect(graphiql).toMatch(/<script>window.__INBOX_GRAPHIQL__=\{"token":"session-\d+\\"\\u003cx>","endpoint":"\/graphql"\}<\/script><\/head>/);
    expect(graphiql).not.toContain('demo-token');
    const json = await fetch(`${demo.url}/graphql?query=%7B__typename%7D`, { headers: { accept: 'application/json' } });
    expect(await json.text()).toBe('fell through');
    const realPage = await (await fetch(`${real.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(realPage).not.toContain('real-token');
  });

  test('the widget bundle is served gzipped, revalidated by ETag; paths cannot leave web/dist', async () => {
    const res = await fetch(`${demo.url}/widget.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(await res.text()).toContain('InboxWidget');
    const again = await fetch(`${demo.url}/widget.js`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
    const plain = await fetch(`${demo.url}/widget.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect((await fetch(`${demo.url}/..%2fpackage.json`)).status).toBe(404);
    expect((await fetch(`${demo.url}/%2e%2e/%2e%2e/package.json.js`)).status).toBe(404);
  });

  test('the chunks widget.js imports are cached for a year under their hashed names, widget.js revalidated; any origin may import them', async () => {
    const page = 'https://dashboard.example';
    for (const encoding of ['gzip', 'identity']) {
      const chunk = await fetch(`${real.url}/widget/main-Ab_c-123.js`, { headers: { origin: page, 'accept-encoding': encoding } });
      expect(chunk.status).toBe(200);
      expect(chunk.headers.get('content-type')).toContain('javascript');
      expect(chunk.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(chunk.headers.get('access-control-allow-origin')).toBe('*');
      expect(await chunk.text()).toContain('export function mount');
      const loader = await fetch(`${real.url}/widget.js`, { headers: { origin: page, 'accept-encoding': encoding } });
      expect(loader.headers.get('cache-control')).toBe('no-cache');
      expect(loader.headers.get('access-control-allow-origin')).toBe('*');
    }
    expect((await fetch(`${real.url}/widget/main-gone1234.js`)).status).toBe(404);
  });

  test('helpers escape for HTML and inline scripts', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(scriptJson({ t: '</script><script>' })).toBe('{"t":"\\u003c/script>\\u003cscript>"}');
    expect(dashboardPage({ token: null })).not.toContain('data-token');
  });
});
