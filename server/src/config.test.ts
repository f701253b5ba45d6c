import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config.js';

/** A real number's settings, complete. */
const REAL = {
  WHATSAPP_API_TOKEN: 'graph-token',
  AUTH_TOKENS: 'key-1',
  SESSION_SECRET: 'a-session-secret-of-at-least-32-characters',
  WHATSAPP_PHONE_NUMBER_ID: '1',
  WHATSAPP_APP_SECRET: 's',
  WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'v',
};

describe('loadConfig', () => {
  it('runs in demo mode with generated secrets when no Graph API token is set', () => {
    const c = loadConfig({});
    expect(c.demoMode).toBe(true);
    expect(c.port).toBe(4000);
    expect(c.authTokens).toHaveLength(1);
    expect(c.whatsapp.apiVersion).toBe('v25.0');
    expect(c.audit.retentionDays).toBe(365);
  });
  it('refuses to start outside demo mode without AUTH_TOKENS, naming the variable', () => {
    expect(() => loadConfig({ ...REAL, AUTH_TOKENS: undefined })).toThrow(
      /^Invalid configuration: AUTH_TOKENS is required/,
    );
  });
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['WHATSAPP_API_BASE_URL', 'not a url'],
    ['WHATSAPP_API_VERSION', '25'],
    ['WHATSAPP_MAX_MESSAGES_PER_SECOND', '0'],
    ['WEBHOOK_RETENTION_DAYS', '0'],
    ['WEBHOOK_RETENTION_DAYS', 'a month'],
    ['WHATSAPP_API_TIMEOUT_MS', '50'],
    ['CORS_ORIGINS', 'dash.example.com'], // no scheme
    ['CORS_ORIGINS', 'https://dash.example.com/app'], // a path is no origin
    ['WHATSAPP_API_TIMEOUT_MS', '60000'], // not shorter than OUTBOUND_JOB_EXPIRE_SECONDS (60 s)
    ['AUDIT_RETENTION_DAYS', '0'],
    ['AUDIT_RETENTION_DAYS', 'a year'],
  ])('rejects %s=%s with one line naming it', (name, value) => {
    let message = '';
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });
  it('keeps processed webhook bodies 30 days unless WEBHOOK_RETENTION_DAYS says otherwise', () => {
    expect(loadConfig({}).webhook.retentionDays).toBe(30);
    expect(loadConfig({ WEBHOOK_RETENTION_DAYS: '7' }).webhook.retentionDays).toBe(7);
  });
  it('reads CORS_ORIGINS as a list of origins, or *', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'https://dash.example.com, http://localhost:5173,' }).corsOrigins).toEqual(['https://dash.example.com', 'http://localhost:5173']);
    expect(loadConfig({ CORS_ORIGINS: '*' }).corsOrigins).toEqual(['*']);
  });
  it('splits AUTH_TOKENS on commas', () => {
    expect(loadConfig({ AUTH_TOKENS: 'a, b,,c', DEMO: '1' }).authTokens).toEqual(['a', 'b', 'c']);
  });
  it('reads an optional ISO 8601 expiry after a token\'s last @', () => {
    const c = loadConfig({ DEMO: '1', AUTH_TOKENS: 'a, b@2026-12-31T00:00:00Z, c@d@2027-01-01T02:00:00+02:00, e@2026-06-01T12:30:00.5Z' });
    expect(c.authTokens).toEqual(['a', 'b', 'c@d', 'e']);
    expect(c.bearerTokens).toEqual([
      { token: 'a', expiresAt: null },
      { token: 'b', expiresAt: Date.parse('2026-12-31T00:00:00Z') },
      { token: 'c@d', expiresAt: Date.parse('2027-01-01T00:00:00Z') },
      { token: 'e', expiresAt: Date.parse('2026-06-01T12:30:00.500Z') },
    ]);
  });
  it.each([
    ['not a date', 'secret-1@tomorrow'],
    ['a date without time', 'secret-1@2026-12-31'],
    ['a time without zone', 'secret-1@2026-12-31T00:00:00'],
    ['an impossible date', 'secret-1@2026-02-30T00:00:00Z'],
    ['an empty expiry', 'secret-1@'],
    ['an empty token', '@2026-12-31T00:00:00Z'],
  ])('refuses AUTH_TOKENS with %s in one line that names the variable and the position, never the token', (_name, value) => {
    let message = '';
    try {
      loadConfig({ DEMO: '1', AUTH_TOKENS: `ok-token,${value}` });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^Invalid configuration: AUTH_TOKENS: token 2 /);
    expect(message).not.toContain('\n');
    expect(message).not.toContain('secret-1');
    expect(message).not.toContain('ok-token');
  });
  it('listens on 127.0.0.1 in demo mode and on every interface outside it, unless HOST says otherwise', () => {
    expect(loadConfig({}).host).toBe('127.0.0.1');
    expect(loadConfig({ HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig(REAL).host).toBe('0.0.0.0');
    expect(loadConfig({ ...REAL, HOST: '127.0.0.1' }).host).toBe('127.0.0.1');
  });
  it.each([
    ['DATABASE_URL', 'postgres://inbox:inbox@db:5432/inbox'],
    ['AUTH_TOKENS', 'real-key-1'],
    ['SESSION_SECRET', 'a-session-secret-of-at-least-32-characters'],
    ['WHATSAPP_PHONE_NUMBER_ID', '106540352242922'],
    ['WHATSAPP_BUSINESS_ACCOUNT_ID', '102290129340398'],
    ['WHATSAPP_APP_SECRET', 'app-secret'],
    ['WHATSAPP_WEBHOOK_VERIFY_TOKEN', 'verify'],
  ])('demo mode refuses to start beside %s in one line naming it, unless DEMO=1', (name, value) => {
    let message = '';
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(new RegExp(`^Invalid configuration: ${name} is set but WHATSAPP_API_TOKEN is not: .*DEMO=1`));
    expect(message).not.toContain('\n');
    expect(message).not.toContain(value); // a setting may be a secret
    expect(() => loadConfig({ [name]: value, DEMO: '0' })).toThrow(ConfigError);
    const c = loadConfig({ [name]: value, DEMO: '1' });
    expect(c.demoMode).toBe(true);
    expect(c.host).toBe('127.0.0.1');
  });
  it('names every deployment setting present at once', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x@h/db', AUTH_TOKENS: 'k', WHATSAPP_APP_SECRET: 's' })).toThrow(
      /^Invalid configuration: DATABASE_URL, AUTH_TOKENS, WHATSAPP_APP_SECRET are set but WHATSAPP_API_TOKEN is not/,
    );
  });
  it('empty deployment settings (docker compose passes unset ones as "") do not count', () => {
    expect(loadConfig({ DATABASE_URL: '', AUTH_TOKENS: ' ', WHATSAPP_APP_SECRET: '' }).demoMode).toBe(true);
  });
  it('refuses DEMO=1 beside a Graph API token, and a DEMO that is not 0 or 1', () => {
    expect(() => loadConfig({ ...REAL, DEMO: '1' })).toThrow(/^Invalid configuration: DEMO=1 but WHATSAPP_API_TOKEN is set/);
    expect(loadConfig({ ...REAL, DEMO: '0' }).demoMode).toBe(false);
    expect(() => loadConfig({ DEMO: 'yes' })).toThrow(/^Invalid configuration: DEMO: must be 1/);
  });
  it('prints only a token it made up: a configured one is never marked as printable', () => {
    expect(loadConfig({}).authTokenGenerated).toBe(true);
    expect(loadConfig({ AUTH_TOKENS: 'mine', DEMO: '1' }).authTokenGenerated).toBe(false);
  });
  it('reads the websocket connection caps (defaults 10000 and 100) and refuses 0', () => {
    expect(loadConfig({}).graphql).toMatchObject({ wsMaxConnections: 10_000, wsMaxConnectionsPerIp: 100 });
    expect(loadConfig({ WS_MAX_CONNECTIONS: '5', WS_MAX_CONNECTIONS_PER_IP: '2' }).graphql).toMatchObject({ wsMaxConnections: 5, wsMaxConnectionsPerIp: 2 });
    expect(() => loadConfig({ WS_MAX_CONNECTIONS: '0' })).toThrow(/WS_MAX_CONNECTIONS/);
    expect(() => loadConfig({ WS_MAX_CONNECTIONS_PER_IP: 'many' })).toThrow(/WS_MAX_CONNECTIONS_PER_IP/);
  });
  it('reads GRAPHQL_WS_MAX_SUBSCRIPTIONS (default 100) and refuses 0', () => {
    expect(loadConfig({}).graphql.wsMaxSubscriptions).toBe(100);
    expect(loadConfig({ GRAPHQL_WS_MAX_SUBSCRIPTIONS: '5' }).graphql.wsMaxSubscriptions).toBe(5);
    expect(() => loadConfig({ GRAPHQL_WS_MAX_SUBSCRIPTIONS: '0' })).toThrow(/GRAPHQL_WS_MAX_SUBSCRIPTIONS/);
  });
});

describe('documentation', () => {
  it('README\'s table and .env.example name every variable the server reads', () => {
    const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const example = fs.readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    expect(CONFIG_VARIABLES.length).toBeGreaterThan(20);
    expect(CONFIG_VARIABLES.filter((v) => !readme.includes(`| \`${v}\` |`))).toEqual([]);
    expect(CONFIG_VARIABLES.filter((v) => !new RegExp(`^#? ?${v}=`, 'm').test(example))).toEqual([]);
  });
});
