import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build, defaultClientConditions, defineConfig, type Plugin } from 'vite';
import { chunkGroups, classicLoader, graphqlDocuments, noPreloadHelper, operationPrinter } from './vite.plugins';

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
 * The widget: ES module chunks under `dist/widget/` (hashed names; the entry, `main-*.js`, holds
 * what the inbox needs before it is usable, `live-*.js` follows at once, the rest is imported on
 * demand; see chunkGroups) and `dist/widget.js`, the classic script that loads them. Its CSS is
 * inlined for the Shadow DOM, one sheet per part (src/ui/styles.ts).
 */
export default defineConfig(({ command }) => {
  const chunks = chunkGroups(root, { live: ['src/app/ws.ts', 'src/notes/MentionToasts.tsx'], Conversation: ['src/messages/Conversation.tsx'], offers: ['ContactCardForm', 'CtaUrlForm', 'LocationRequestForm', 'ProductForm'].map((f) => `src/messages/offers/${f}.tsx`) });
  return {
    root,
    // Chunks import each other and are found relative to their own URL, whatever origin serves them.
    base: './',
    plugins: [graphqlDocuments(root), operationPrinter(root), noPreloadHelper(), react(), chunks.plugin, classicLoader(root), graphiqlPage()],
    define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
    // rxjs (under Apollo Client) has an ES2015 build, smaller than its default ES5 one with tslib helpers.
    resolve: { conditions: ['es2015', ...defaultClientConditions] },
    build: {
      outDir: 'dist',
      emptyOutDir: true,
      // Class fields stay as written (no helper code); the widget already needs ES2022's Array.at.
      target: 'es2022',
      // A lazy chunk's imports are the entry (already loaded) or chunks it fetches itself.
      modulePreload: false,
      rollupOptions: {
        input: { main: path.join(root, 'src/main.tsx') },
        preserveEntrySignatures: 'allow-extension',
        output: {
          entryFileNames: 'widget/[name]-[hash].js',
          chunkFileNames: 'widget/[name]-[hash].js',
          codeSplitting: { groups: chunks.groups },
        },
      },
    },
    // The dev server serves the widget (index.html); GraphiQL's Monaco workers only build.
    optimizeDeps: { entries: ['index.html'] },
    server: { proxy: { '/graphql': { target: 'http://localhost:4000', ws: true }, '/api': 'http://localhost:4000' } },
  };
});
