/**
 * The widget build's own plugins (vite.config.ts puts them together). Each takes the web folder as
 * `root`; paths in messages are relative to it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { minifySync, transformWithOxc, type Plugin } from 'vite';

/**
 * `widget.js`, the classic script pages embed: src/loader.ts compiled on its own (it is a script, not
 * a module of this build), told the entry chunk's file name, minified. It imports that chunk from
 * beside its own URL.
 */
export function classicLoader(root: string): Plugin {
  return {
    name: 'inbox:classic-loader',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (!entry) throw new Error('no entry chunk for widget.js to load');
      const file = path.join(root, 'src/loader.ts');
      const { code } = await transformWithOxc(fs.readFileSync(file, 'utf8'), file, { lang: 'ts' });
      const script = minifySync('widget.js', code.replace(/\b__INBOX_ENTRY__\b/g, JSON.stringify(`./${entry.fileName}`)), { module: false });
      this.emitFile({ type: 'asset', fileName: 'widget.js', source: script.code });
    },
  };
}

/**
 * Replaces each `graphql(\`…\`)` call with its document, as codegen's Babel plugin would. gql.ts's
 * `graphql()` looks documents up in a map keyed by their whole text, which kept every document's
 * text in the bundle twice more. Each document is a module of its own (`inbox-doc:<Name>`, its AST
 * taken from src/gql/graphql.ts), so it lands in the chunk of the part that uses it. A text codegen
 * doesn't know fails the build.
 */
export function graphqlDocuments(root: string): Plugin {
  const gql = path.join(root, 'src/gql');
  const byText = new Map<string, string>();
  const asts = new Map<string, string>();
  const PREFIX = 'inbox-doc:';
  return {
    name: 'inbox:graphql-documents',
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      const map = /const documents: Documents = \{\n([\s\S]*?)\n\};/.exec(fs.readFileSync(path.join(gql, 'gql.ts'), 'utf8'));
      if (!map) throw new Error('src/gql/gql.ts has no documents map: did codegen change its output?');
      for (const line of map[1]!.split('\n')) {
        const m = /^\s*("(?:[^"\\]|\\.)*"): types\.(\w+),?$/.exec(line);
        if (!m) throw new Error(`unexpected line in src/gql/gql.ts: ${line.slice(0, 80)}`);
        byText.set(JSON.parse(m[1]!) as string, m[2]!);
      }
      for (const m of fs.readFileSync(path.join(gql, 'graphql.ts'), 'utf8').matchAll(/^export const (\w+) = (\{"kind":"Document".*\}) as unknown as DocumentNode<.*>;$/gm)) asts.set(m[1]!, m[2]!);
      for (const name of byText.values()) if (!asts.has(name)) throw new Error(`src/gql/graphql.ts has no document ${name}: did codegen change its output?`);
    },
    resolveId: (id) => (id.startsWith(PREFIX) ? `\0${id}` : null),
    load: (id) => (id.startsWith(`\0${PREFIX}`) ? `export default ${asts.get(id.slice(PREFIX.length + 1))};` : null),
    transform(code, id) {
      if (!id.startsWith(path.join(root, 'src') + path.sep) || id.startsWith(gql) || !code.includes('graphql(`')) return null;
      const names = new Set<string>();
      const out = code.replace(/\bgraphql\(`([^`]*)`\)/g, (_call, text: string) => {
        const name = byText.get(text);
        if (!name || text.includes('\\') || text.includes('${')) this.error(`${path.relative(root, id)}: a graphql() document codegen doesn't know; run npm run codegen`);
        names.add(name!);
        return `__doc_${name}`;
      });
      const imports = [...names].map((n) => `import __doc_${n} from ${JSON.stringify(PREFIX + n)};\n`).join('');
      return { code: imports + out, map: null };
    },
  };
}

/**
 * Apollo Client prints each operation with graphql-js's `print` (utilities/graphql/print.js), which
 * also knows every schema definition and pretty-prints: this gives that one import src/shared/print.ts,
 * a one-line printer of operations (its test checks every document of the widget). Fails the build
 * if Apollo Client stops importing it that way.
 */
export function operationPrinter(root: string): Plugin {
  const apolloPrint = path.join('@apollo', 'client', 'utilities', 'graphql', 'print.js');
  let replaced = false;
  return {
    name: 'inbox:operation-printer',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source !== 'graphql' || !importer?.endsWith(apolloPrint)) return null;
      replaced = true;
      return path.join(root, 'src/shared/print.ts');
    },
    buildEnd() {
      if (!replaced) this.error(`${apolloPrint} no longer imports print from graphql: check src/shared/print.ts still stands in for it`);
    },
  };
}

/**
 * Vite wraps each dynamic import in its preload helper, which fetches the imported chunk's CSS and
 * dependencies first; the widget has neither (CSS is inlined, `modulePreload` is off, so the list
 * is always empty), so the helper only calls the import: 0.6 kB gzip of preloading code less.
 */
export function noPreloadHelper(): Plugin {
  const id = '\0vite/preload-helper.js';
  return {
    name: 'inbox:no-preload-helper',
    apply: 'build',
    enforce: 'pre',
    load: (source) => (source === id ? 'export const __vitePreload = (load) => load();' : null),
  };
}

/**
 * The widget's chunks, each holding everything its root imports statically, directly or not, that an
 * earlier one doesn't: `main` (the entry: what the inbox needs before it is usable), `live` (fetched
 * as the widget mounts, after the first paint: the websocket and the mention toasts), `Conversation`
 * (an open conversation, fetched as the panel opens). Rolldown would otherwise give modules that lazy
 * parts share chunks of their own: more requests, each gzipped apart. What no root reaches (the
 * template picker, the team's figures, the audit log, the canned replies admin) is chunked per
 * dynamic import, on demand.
 */
export function chunkGroups(root: string, roots: Record<string, string[]>): { plugin: Plugin; groups: { name: string; test: (id: string) => boolean }[] } {
  const owner = new Map<string, string>();
  return {
    groups: ['main', ...Object.keys(roots)].map((name) => ({ name, test: (id: string) => owner.get(id) === name })),
    plugin: {
      name: 'inbox:chunk-groups',
      apply: 'build',
      buildEnd() {
        const ids = [...this.getModuleIds()];
        const entry = ids.filter((id) => this.getModuleInfo(id)?.isEntry);
        for (const [name, todo] of [['main', entry], ...Object.entries(roots).map(([n, files]) => [n, files.map((f) => path.join(root, f))])] as [string, string[]][]) {
          for (const file of todo) if (!this.getModuleInfo(file)) this.error(`chunk ${name}: ${path.relative(root, file)} is not part of the build`);
          for (let id = todo.pop(); id; id = todo.pop()) {
            if (owner.has(id)) continue;
            owner.set(id, name);
            todo.push(...(this.getModuleInfo(id)?.importedIds ?? []));
          }
        }
      },
    },
  };
}
