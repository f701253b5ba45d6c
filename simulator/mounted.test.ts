import { execFile } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatorRouter, type Simulator } from './src/simulator.js';
import { startReceiver } from './test-receiver.js';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('./src/cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));

let server: http.Server;
let base: string;
let sim: Simulator;
let hook: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  hook = await startReceiver('s3cret');
  const mounted = createSimulatorRouter({ appSecret: 's3cret', phoneNumberId: '1', wabaId: '2', webhookUrl: hook.url, log: () => {} });
  sim = mounted.sim;
  const app = express();
  app.use(express.json());
  app.use('/simulator', mounted.router);
  app.get('/other', (_req, res) => void res.send('app route'));
  server = http.createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/simulator`;
});
afterAll(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  await hook?.close();
});

const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', CLI, ...args], { cwd: ROOT }).then(
    (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('mounted under /simulator of another app', () => {
  it('serves Graph routes under the prefix, with prefixed download and paging URLs', async () => {
    const id = sim.addMedia(Buffer.from('%PDF-1.7'), 'application/pdf');
    const meta = await (await fetch(`${base}/v26.0/${id}`)).json();
    expect(meta.url).toMatch(new RegExp(`^${base}/media-download/`));
    expect(await (await fetch(meta.url)).text()).toBe('%PDF-1.7');
    const page = await (await fetch(`${base}/v26.0/2/message_templates?limit=2`)).json();
    expect(page.paging.next).toMatch(new RegExp(`^${base}/v26.0/2/message_templates\\?`));
    expect(await (await fetch(`${base.replace('/simulator', '')}/other`)).text()).toBe('app route');
  });

  it('accepts control routes even behind an app-wide JSON parser', async () => {
    const res = await fetch(`${base}/_simulator/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '15550009999', text: 'via control' }),
    });
    expect(await res.json()).toMatchObject({ webhookStatus: 200 });
    const sent = await fetch(`${base}/v26.0/1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: '15550009999', type: 'text', text: { body: 'ok' } }),
    });
    expect(sent.status).toBe(200);
    const requests = await (await fetch(`${base}/_simulator/requests`)).json();
    expect(requests.at(-1)).toMatchObject({ method: 'POST', status: 200, body: { text: { body: 'ok' } } });
  });
});

describe('cli', () => {
  it('injects a message and prints the wamid and webhook status', async () => {
    const r = await cli('--url', base, '--from', '15551234567', '--name', 'Cli', '--text', 'hi from cli');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wamid\.SIM\S+ webhook answered 200\n$/);
    const msg = hook.received.at(-1)?.body.entry[0].changes[0].value.messages[0];
    expect(msg).toMatchObject({ from: '15551234567', text: { body: 'hi from cli' } });
  });

  it('sends typed messages from --json', async () => {
    const r = await cli('--url', base, '--user-id', 'US.9', '--json', '{"location":{"latitude":1.5,"longitude":2}}');
    expect(r.code).toBe(0);
    const msg = hook.received.at(-1)?.body.entry[0].changes[0].value.messages[0];
    expect(msg).toMatchObject({ type: 'location', from_user_id: 'US.9', location: { latitude: 1.5 } });
  });

  it('exits 1 with one line when the simulator is unreachable', async () => {
    const closed = http.createServer().listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const { port } = closed.address() as AddressInfo;
    await new Promise((r) => closed.close(r));
    const r = await cli('--url', `http://127.0.0.1:${port}/simulator`, '--text', 'hi');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^error: simulator unreachable at .*ECONNREFUSED/)]);
  });
});
