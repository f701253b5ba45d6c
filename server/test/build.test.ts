import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimulator } from '../../simulator/src/simulator.js';
import { signBody } from '../src/webhook/webhook.signature.js';
import { APP_SECRET, createTestDatabase, PHONE_NUMBER_ID, subscribe, TEST_TOKEN, waitFor } from './harness.js';
import { envelope, textMessage } from './payloads.js';
import { spawnServer } from './process.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };

interface Stage {
  name: string;
  lines: string[];
}

/** The Dockerfile's stages, each a list of instructions (continuation lines joined). */
function dockerStages(): Stage[] {
  const text = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
  const stages: Stage[] = [];
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || line.startsWith('#')) continue;
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[1] ?? `stage${stages.length}`, lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

/** `COPY [--from=x] src... dest` of a stage, paths made relative to WORKDIR /app. */
function copies(stage: Stage): Array<{ from?: string; sources: string[]; dest: string }> {
  return stage.lines
    .filter((l) => /^COPY\s/i.test(l))
    .map((l) => {
      const words = l.split(/\s+/).slice(1);
      const from = words[0]!.startsWith('--from=') ? words.shift()!.slice('--from='.length) : undefined;
      const dest = words.pop()!;
      const inApp = (p: string) => (path.isAbsolute(p) ? path.relative('/app', p) : p);
      return { from, sources: words.map(inApp), dest: inApp(dest) };
    });
}

/** Copies `sources` (relative to `fromDir`) to `dest` in `toDir` the way COPY does (a folder's contents, a file into a folder ending in /). */
function copyInto(fromDir: string, toDir: string, sources: string[], dest: string) {
  for (const src of sources) {
    const target = dest.endsWith('/') || sources.length > 1 ? path.join(toDir, dest, path.basename(src)) : path.join(toDir, dest);
    fs.cpSync(path.join(fromDir, src), target, { recursive: true, filter: (p) => !p.includes(`${path.sep}node_modules`) });
  }
}

/** Package names a compiled file imports (bare specifiers, not node builtins). */
function packagesImported(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.js'))) {
    const code = fs.readFileSync(path.join(dir, file), 'utf8');
    for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s+['"]([^'"]+)['"]/gm)) {
      const spec = m[1] ?? m[2] ?? m[3]!;
      if (spec.startsWith('.') || spec.startsWith('node:') || builtinModules.includes(spec)) continue;
      names.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
    }
  }
  return names;
}

const temp: string[] = [];
afterAll(() => {
  for (const d of temp) fs.rmSync(d, { recursive: true, force: true });
});

describe('the production build (what the Dockerfile builds and runs)', () => {
  it('npm run build on the build stage\'s sources makes a server that node runs with production dependencies: webhook in, messageAdded out, healthy', async () => {
    const stages = dockerStages();
    const [build, runtime] = [stages.find((s) => s.name === 'build')!, stages.at(-1)!];
    expect(build.lines).toContain('RUN npm run build');

    // The build stage: its sources alone (no node_modules from here on but the installed ones), then npm run build.
    const buildDir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-build-'));
    temp.push(buildDir);
    for (const c of copies(build)) copyInto(ROOT, buildDir, c.sources, c.dest);
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(buildDir, 'node_modules'));
    const env = { ...process.env };
    delete env.NODE_ENV; // vitest's "test" would make the widget a development build
    await run('npm', ['run', 'build'], { cwd: buildDir, env, timeout: 300_000 });

    // The runtime stage: only what it copies.
    const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'inbox-image-'));
    temp.push(appDir);
    for (const c of copies(runtime)) {
      if (c.from === 'deps') fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(appDir, 'node_modules'));
      else copyInto(c.from === 'build' ? buildDir : ROOT, appDir, c.sources, c.dest);
    }
    expect(fs.existsSync(path.join(appDir, 'web/dist/widget.js'))).toBe(true);
    // The image has `npm ci --omit=dev`: everything the compiled code imports must be a dependency.
    const missing = [...packagesImported(path.join(appDir, 'dist'))].filter((name) => !(name in pkg.dependencies));
    expect(missing).toEqual([]);

    const cmd = JSON.parse(/^CMD\s+(\[.*\])$/m.exec(runtime.lines.join('\n'))![1]!) as string[];
    expect(cmd[0]).toBe('node');
    const sim = await startSimulator({ appSecret: APP_SECRET, accessToken: 'graph-token', phoneNumberId: PHONE_NUMBER_ID, wabaId: 'waba-1', log: () => undefined });
    const server = await spawnServer(await createTestDatabase(), sim.url, { DATA_DIR: path.join(appDir, 'data'), NODE_ENV: 'production' }, [], {
      cwd: appDir,
      entry: cmd[1]!,
    });
    try {
      const client = createClient({ url: `${server.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${TEST_TOKEN}` }, retryAttempts: 0 });
      const added = subscribe(client, 'subscription { messageAdded { text contact { waId } } }');
      await waitFor(async () => (await fetch(`${server.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKEN}` }, body: '{"query":"{ __typename }"}' })).ok);
      await new Promise((r) => setTimeout(r, 300)); // the subscription reaches the server
      const raw = JSON.stringify(envelope(textMessage({ from: '15550001111', text: 'from the built server' }).body));
      const res = await fetch(`${server.url}/api/whatsapp/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signBody(raw, APP_SECRET) },
        body: raw,
      });
      expect(res.status).toBe(200);
      await waitFor(() => added.events.length, 15_000, 'messageAdded from the built server');
      expect(added.events).toEqual([{ messageAdded: { text: 'from the built server', contact: { waId: '15550001111' } } }]);
      await client.dispose();

      // The image's HEALTHCHECK command, as Docker runs it, against this server; and the widget it serves.
      const health = /^HEALTHCHECK\b.*?\bCMD\s+(\[.*\])$/m.exec(runtime.lines.join('\n'));
      const [bin, ...args] = JSON.parse(health![1]!) as string[];
      expect(bin).toBe('node');
      await run(process.execPath, args, { env: { PORT: new URL(server.url).port } });
      const loader = await fetch(`${server.url}/widget.js`);
      expect(loader.status).toBe(200);
      // …and the entry chunk widget.js imports, from beside it.
      const entry = /["'`]\.\/(widget\/[^"'`]+\.js)["'`]/.exec(await loader.text())![1];
      const chunk = await fetch(`${server.url}/${entry}`);
      expect(chunk.status).toBe(200);
      expect(await chunk.text()).toContain('export');
    } finally {
      await server.kill();
      await sim.close();
    }
  }, 400_000);
});
