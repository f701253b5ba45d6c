import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEnv, TEST_TOKEN, type TestEnv } from '../harness.js';

/** What a browser on a dashboard page sends and reads: the preflight, then the request. */
let t: TestEnv;
let plain: TestEnv;
beforeAll(async () => {
  [t, plain] = await Promise.all([startTestEnv({ env: { CORS_ORIGINS: 'https://dash.example.com, http://localhost:5173' } }), startTestEnv()]);
});
afterAll(async () => {
  await Promise.all([t?.close(), plain?.close()]);
});

const preflight = (env: TestEnv, path: string, origin: string) =>
  fetch(`${env.app.url}${path}`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
  });

const query = (env: TestEnv, origin: string) =>
  fetch(`${env.app.url}/graphql`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` },
    body: JSON.stringify({ query: '{ stats { totalMessages } }' }),
  });

describe('CORS for dashboards on other origins', () => {
  it('lets a listed origin call /graphql and /api/media from the browser', async () => {
    for (const path of ['/graphql', '/api/media']) {
      const res = await preflight(t, path, 'https://dash.example.com');
      expect(res.status, path).toBe(204);
      expect(res.headers.get('access-control-allow-origin')).toBe('https://dash.example.com');
      expect(res.headers.get('access-control-allow-methods')).toBe('GET,POST');
      expect(res.headers.get('access-control-allow-headers')).toContain('authorization');
      expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    }
    const res = await query(t, 'http://localhost:5173');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(res.headers.get('vary')).toMatch(/origin/i);
    expect((await res.json()).data.stats.totalMessages).toBe(0);
  });

  it('gives other origins no CORS headers, so their browsers keep the answer from the page', async () => {
    expect((await preflight(t, '/graphql', 'https://evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    expect((await query(t, 'https://dash.example.com.evil.example')).headers.get('access-control-allow-origin')).toBeNull();
    // Meta's webhook is server to server: no browser may post to it.
    expect((await preflight(t, '/api/whatsapp/webhook', 'https://dash.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('without CORS_ORIGINS, answers no cross-origin request', async () => {
    const pre = await preflight(plain, '/graphql', 'https://dash.example.com');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect((await query(plain, 'https://dash.example.com')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
