/**
 * The Meta simulator: a real HTTP server that plays WhatsApp Cloud API's Graph endpoints
 * (send, mark read, media, templates) and posts signed webhooks back, for tests and the
 * offline demo.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { Router } from 'express';
import { controlRouter } from './control.routes.js';
import { SimulatorCore } from './core.js';
import { graphRouter } from './graph.routes.js';
import type { ControlGuard, Simulator, SimulatorOptions } from './types.js';

export type {
  AmbiguousSpec, ControlGuard, FailureSpec, FlowCompletion, InboundInput, MediaDownloadFailure, RecordedRequest, SentMessage, SimTemplate, SimTemplateStatus, Simulator, SimulatorOptions,
} from './types.js';
export { defaultTemplates } from './templates.js';
export { signBody } from './payloads.js';

/** A simulator with its own HTTP server. */
export type RunningSimulator = Simulator & {
  /** Base URL, e.g. `http://127.0.0.1:41234`; use it as the Graph API base URL. */
  url: string;
  /** Stops pending webhooks, waits for those in flight, closes the server. */
  close(): Promise<void>;
};

/**
 * Builds the simulator as an express router, to mount under a prefix of another app
 * (demo mode mounts it at `/simulator`). Media download URLs include the mount prefix.
 * `controlGuard` decides who may use the control routes (`/_simulator/*`); without one they are open.
 */
export function createSimulatorRouter(opts: SimulatorOptions & { controlGuard?: ControlGuard }): { router: express.Router; sim: Simulator } {
  const sim = new SimulatorCore(opts);
  const router = Router();
  router.use('/_simulator', controlRouter(sim, opts.controlGuard));
  router.use(graphRouter(sim));
  return { router, sim };
}

/** Starts the simulator on its own HTTP server (default 127.0.0.1, random port). */
export async function startSimulator(
  opts: SimulatorOptions & { port?: number; host?: string },
): Promise<RunningSimulator> {
  const { router, sim } = createSimulatorRouter(opts);
  const app = express();
  app.disable('x-powered-by');
  app.use(router);
  const server = http.createServer(app);
  const host = opts.host ?? '127.0.0.1';
  server.listen(opts.port ?? 0, host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const core = sim as SimulatorCore;
  return Object.assign(core, {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    async close(): Promise<void> {
      await core.drain();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  });
}
