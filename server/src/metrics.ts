import client from 'prom-client';

/** What the gauges read when scraped. */
export interface GaugeReads {
  messageCounts(): Promise<Array<{ direction: string; status: string; n: number }>>;
  webhookBacklog(): Promise<Array<{ status: string; n: number }>>;
}

/** Prometheus metrics of one app instance (its own registry, so several apps can share a process in tests). */
export function createMetrics(reads: GaugeReads) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const metrics = {
    registry,
    webhookReceived: new client.Counter({ name: 'inbox_webhook_events_received_total', help: 'Webhook POSTs stored', registers: [registry] }),
    webhookRejected: new client.Counter({ name: 'inbox_webhook_events_rejected_total', help: 'Webhook POSTs refused', labelNames: ['reason'], registers: [registry] }),
    webhookProcessed: new client.Counter({ name: 'inbox_webhook_events_processed_total', help: 'Webhook events processed', registers: [registry] }),
    webhookFailed: new client.Counter({ name: 'inbox_webhook_events_failed_total', help: 'Webhook events given up after retries', registers: [registry] }),
    sendLatency: new client.Histogram({
      name: 'inbox_send_latency_seconds', help: 'Graph API send call duration', labelNames: ['outcome'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10], registers: [registry],
    }),
    wsClients: new client.Gauge({ name: 'inbox_websocket_clients', help: 'Connected graphql-ws clients', registers: [registry] }),
    wsSlowClientsDropped: new client.Counter({
      name: 'inbox_websocket_slow_clients_dropped_total', help: 'Websocket clients terminated for leaving more than GRAPHQL_WS_MAX_BUFFERED_BYTES unread', registers: [registry],
    }),
    wsConnectionsRefused: new client.Counter({
      name: 'inbox_websocket_connections_refused_total',
      help: 'Websocket upgrades refused at a cap: reason="total" (WS_MAX_CONNECTIONS) or "per_ip" (WS_MAX_CONNECTIONS_PER_IP)',
      labelNames: ['reason'], registers: [registry],
    }),
  };
  // Both series from the start, so a dashboard sees 0 rather than nothing.
  for (const reason of ['total', 'per_ip']) metrics.wsConnectionsRefused.inc({ reason }, 0);
  new client.Gauge({
    name: 'inbox_messages', help: 'Stored messages by direction and status', labelNames: ['direction', 'status'], registers: [registry],
    async collect() {
      this.reset();
      for (const r of await reads.messageCounts()) this.set({ direction: r.direction, status: r.status }, r.n);
    },
  });
  new client.Gauge({
    name: 'inbox_webhook_backlog', help: 'Stored webhook events by processing status', labelNames: ['status'], registers: [registry],
    async collect() {
      this.reset();
      for (const r of await reads.webhookBacklog()) this.set({ status: r.status }, r.n);
    },
  });
  return metrics;
}
/** The metrics createMetrics makes. */
export type Metrics = ReturnType<typeof createMetrics>;
