import path from 'node:path';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin } from 'vite';

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

/** The widget: one self-contained IIFE (`dist/widget.js`, global `InboxWidget`), its CSS inlined for the Shadow DOM. */
export default defineConfig(({ command }) => ({
  root,
  plugins: [react(), graphiqlPage()],
  define: command === 'build' ? { 'process.env.NODE_ENV': JSON.stringify('production') } : {},
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
