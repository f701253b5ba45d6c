import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build, defaultClientConditions, defineConfig, type Plugin } from 'vite';

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
 * The templates view and editor (admins only) are a script of their own, `dist/template-editor.js`
 * (global `InboxTemplateEditor`, with its own React), so they cost widget.js nothing: in the widget's
 * build `templates/loadView.ts` becomes `loadView.script.tsx`, which loads it beside widget.js.
 * Built after the widget, with it (INBOX_WIDGET_ONLY too).
 */
const loadViewScript = { find: /^\.\/loadView$/, replacement: path.join(root, 'src/templates/loadView.script.tsx') };
function templateEditorScript(): Plugin {
  let done = false;
  let outDir = path.join(root, 'dist');
  return {
    name: 'inbox:template-editor',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      if (done) return;
      done = true;
      await build({
        configFile: false,
        root,
        logLevel: 'warn',
        plugins: [graphqlDocuments(), react()],
        define: { 'process.env.NODE_ENV': JSON.stringify('production') },
        resolve: { conditions: ['es2015', ...defaultClientConditions] },
        build: {
          outDir,
          emptyOutDir: false,
          target: 'es2020',
          lib: { entry: path.join(root, 'src/templates/viewScript.tsx'), name: 'InboxTemplateEditor', formats: ['iife'], fileName: () => 'template-editor.js' },
        },
      });
    },
  };
}

/**
 * Replaces each `graphql(\`…\`)` call with an import of its document from src/gql/graphql.ts, as
 * codegen's Babel plugin would. gql.ts's `graphql()` looks documents up in a map keyed by their whole
 * text, which kept every document's text in the bundle twice more (measured: 3 kB gzip). A text
 * codegen doesn't know fails the build.
 */
function graphqlDocuments(): Plugin {
  const gql = path.join(root, 'src/gql');
  const byText = new Map<string, string>();
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
    },
    transform(code, id) {
      if (!id.startsWith(path.join(root, 'src') + path.sep) || id.startsWith(gql) || !code.includes('graphql(`')) return null;
      const names = new Set<string>();
      const out = code.replace(/\bgraphql\(`([^`]*)`\)/g, (_call, text: string) => {
        const name = byText.get(text);
        if (!name || text.includes('\\') || text.includes('${')) this.error(`${path.relative(root, id)}: a graphql() document codegen doesn't know; run npm run codegen`);
        names.add(name!);
        return `__doc_${name}`;
      });
      const imports = [...names].map((n) => `${n} as __doc_${n}`).join(', ');
      return { code: `import { ${imports} } from ${JSON.stringify(path.join(gql, 'graphql.ts'))};\n${out}`, map: null };
    },
  };
}

/** The widget: one self-contained IIFE (`dist/widget.js`, global `InboxWidget`), its CSS inlined for the Shadow DOM. */
export default defineConfig(({ command }) => ({
  root,
  plugins: [graphqlDocuments(), react(), templateEditorScript(), graphiqlPage()],
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
  // rxjs (under Apollo Client) has an ES2015 build, smaller than its default ES5 one with tslib helpers.
  resolve: { conditions: ['es2015', ...defaultClientConditions], alias: command === 'build' ? [loadViewScript] : [] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    lib: { entry: path.join(root, 'src/main.tsx'), name: 'InboxWidget', formats: ['iife'], fileName: () => 'widget.js' },
  },
  // The dev server serves the widget (index.html); GraphiQL's Monaco workers only build.
  optimizeDeps: { entries: ['index.html'] },
  server: { proxy: { '/graphql': { target: 'http://localhost:4000', ws: true }, '/api': 'http://localhost:4000' } },
}));
