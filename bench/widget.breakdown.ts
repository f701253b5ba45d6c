/**
 * What the widget's chunks are made of: `npx tsx bench/widget.breakdown.ts` builds the widget with
 * source maps into a temporary folder and prints, per chunk, its gzip size and, for the entry (what
 * loads before first paint), each package's and each of our folders' share. A share is marginal:
 * the chunk's gzip size minus that of the chunk with the group's bytes cut out, so the shares need
 * not add up to the whole (gzip finds repeats across groups). Bytes are attributed through the
 * source map; documents and Rolldown's runtime have no source and show as "(no source)".
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, widgetSizes } from '../server/test/browser.harness.js';

const gz = (s: string) => gzipSync(s, { level: 9 }).length;
const kB = (n: number) => (n / 1000).toFixed(1).padStart(6);

/** Decodes a source map's `mappings` into [generated line, column, source index] segments, in order. */
function segments(mappings: string): [number, number, number][] {
  const out: [number, number, number][] = [];
  const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let source = 0;
  mappings.split(';').forEach((line, l) => {
    let col = 0;
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const v: number[] = [];
      for (let i = 0, shift = 0, acc = 0; i < seg.length; i++) {
        const d = B64.indexOf(seg[i]!);
        acc += (d & 31) << shift;
        if (d & 32) shift += 5;
        else {
          v.push(acc & 1 ? -(acc >>> 1) : acc >>> 1);
          acc = shift = 0;
        }
      }
      col += v[0]!;
      if (v.length > 1) source += v[1]!;
      out.push([l, col, v.length > 1 ? source : -1]);
    }
  });
  return out;
}

/** The package (`react-dom`, `@apollo/client`) or our folder (`web/src/app`) a source belongs to. */
function group(source: string | undefined): string {
  if (!source) return '(no source)';
  const nm = source.lastIndexOf('node_modules/');
  if (nm < 0) return source.replace(/^.*?(web\/src\/[^/]+).*$/, '$1');
  const parts = source.slice(nm + 13).split('/');
  return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
}

/** Each group's marginal gzip bytes in one chunk, largest first. */
function breakdown(file: string): [string, number, number][] {
  const code = fs.readFileSync(file, 'utf8');
  const map = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')) as { sources: string[]; mappings: string };
  const lineStart = [0];
  for (const line of code.split('\n')) lineStart.push(lineStart.at(-1)! + line.length + 1);
  const segs = segments(map.mappings);
  const ranges = new Map<string, [number, number][]>();
  segs.forEach(([l, c, s], i) => {
    const next = segs[i + 1];
    const range: [number, number] = [lineStart[l]! + c, next ? lineStart[next[0]]! + next[1] : code.length];
    const g = group(s < 0 ? undefined : map.sources[s]);
    ranges.set(g, [...(ranges.get(g) ?? []), range]);
  });
  const whole = gz(code);
  return [...ranges]
    .map(([g, rs]): [string, number, number] => {
      let rest = '';
      let at = 0;
      for (const [a, b] of rs) {
        rest += code.slice(at, a);
        at = b;
      }
      rest += code.slice(at);
      return [g, whole - gz(rest), code.length - rest.length];
    })
    .sort((a, b) => b[1] - a[1]);
}

const out = fs.mkdtempSync(path.join(os.tmpdir(), 'widget-breakdown-'));
try {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web', '--logLevel', 'error', '--sourcemap', '--outDir', out], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, INBOX_WIDGET_ONLY: '1' },
  });
  // As served: without the comment naming the source map (the map's positions are unaffected).
  for (const f of fs.readdirSync(path.join(out, 'widget')).filter((f) => f.endsWith('.js'))) {
    const file = path.join(out, 'widget', f);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'));
  }
  const sizes = widgetSizes(out);
  console.log(`before first paint ${kB(sizes.initial)} kB gzip (${sizes.initialFiles.join(', ')}), in all ${kB(sizes.total)} kB\n`);
  for (const f of fs.readdirSync(path.join(out, 'widget')).filter((f) => f.endsWith('.js'))) {
    const code = fs.readFileSync(path.join(out, 'widget', f), 'utf8');
    console.log(`${kB(gz(code))} kB gzip ${kB(code.length)} kB raw  ${f}`);
  }
  const entry = sizes.initialFiles[1]!;
  console.log(`\n${entry}, marginal gzip kB per package or folder:`);
  for (const [g, bytes, raw] of breakdown(path.join(out, entry)).filter(([, b]) => b >= 50)) console.log(`${kB(bytes)} kB gzip ${kB(raw)} kB raw  ${g}`);
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
