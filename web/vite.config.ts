import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build, defaultClientConditions, defineConfig, minifySync, transformWithOxc, type Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * GraphiQL (served on a browser GET /graphql) is a second, independent bundle: an ordinary
 * page with its own chunks and Monaco workers, under dist/graphiql/. Built after the widget.
 * INBOX_WIDGET_ONLY=1 skips it (the browser tests need only the widget).
 */
function graphiqlPage(): Plugin {
  let done = false;
  let outDir = path.join(root, 'dist');
  return {
    name: 'inbox:graphiql-page',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      if (done || process.env.INBOX_WIDGET_ONLY) return;
      done = true;
      await build({
        configFile: false,
        root,
        base: '/graphiql/',
        logLevel: 'warn',
        plugins: [react()],
        build: {
          outDir: path.join(outDir, 'graphiql'),
          emptyOutDir: true,
          chunkSizeWarningLimit: 5000,
          rollupOptions: {
            input: path.join(root, 'graphiql.html'),
            // GraphiQL's React Compiler output carries "use no memo" directives; harmless when bundled.
            onwarn(warning, warn) {
              if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
            },
          },
        },
      });
    },
  };
}

/**
 * `widget.js`, the classic script pages embed: src/loader.ts compiled on its own (it is a script, not
 * a module of this build), told the entry chunk's file name, minified. It imports that chunk from
 * beside its own URL.
 */
function classicLoader(): Plugin {
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
function graphqlDocuments(): Plugin {
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
function operationPrinter(): Plugin {
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
 * Everything the entry imports statically, directly or not: what the inbox needs before it is usable.
 * Rolldown would otherwise split modules that lazy parts share with it into chunks of their own,
 * each one more request before first paint and gzipped apart (measured: three more, 1.5 kB more).
 */
function initialModules(): { plugin: Plugin; has(id: string): boolean } {
  const initial = new Set<string>();
  return {
    has: (id) => initial.has(id),
    plugin: {
      name: 'inbox:initial-modules',
      apply: 'build',
      buildEnd() {
        const entry = [...this.getModuleIds()].find((id) => this.getModuleInfo(id)?.isEntry);
        const todo = entry ? [entry] : [];
        for (let id = todo.pop(); id; id = todo.pop()) {
          if (initial.has(id)) continue;
          initial.add(id);
          todo.push(...(this.getModuleInfo(id)?.importedIds ?? []));
        }
      },
    },
  };
}

/**
 * The widget: ES module chunks under `dist/widget/` (hashed names; the entry, `main-*.js`, holds
 * what the inbox needs before it is usable, the rest is imported on demand) and `dist/widget.js`, the
 * classic script that loads them. Its CSS is inlined for the Shadow DOM.
 */
export default defineConfig(({ command }) => {
  const initial = initialModules();
  return {
    root,
    // Chunks import each other and are found relative to their own URL, whatever origin serves them.
    base: './',
    plugins: [graphqlDocuments(), operationPrinter(), react(), initial.plugin, classicLoader(), graphiqlPage()],
    define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
    // rxjs (under Apollo Client) has an ES2015 build, smaller than its default ES5 one with tslib helpers.
    resolve: { conditions: ['es2015', ...defaultClientConditions] },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      target: 'es2020',
      // A lazy chunk's imports are the entry (already loaded) or chunks it fetches itself.
      modulePreload: false,
      rollupOptions: {
        input: { main: path.join(root, 'src/main.tsx') },
        preserveEntrySignatures: 'allow-extension',
        output: {
          entryFileNames: 'widget/[name]-[hash].js',
          chunkFileNames: 'widget/[name]-[hash].js',
          codeSplitting: { groups: [{ name: 'main', test: (id: string) => initial.has(id) }] },
        },
      },
    },
    // The dev server serves the widget (index.html); GraphiQL's Monaco workers only build.
    optimizeDeps: { entries: ['index.html'] },
    server: { proxy: { '/graphql': { target: 'http://localhost:4000', ws: true }, '/api': 'http://localhost:4000' } },
  };
});
