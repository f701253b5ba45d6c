import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('runs in demo mode with generated secrets when no Graph API token is set', () => {
    const c = loadConfig({});
    expect(c.demoMode).toBe(true);
    expect(c.port).toBe(4000);
    expect(c.authTokens).toHaveLength(1);
    expect(c.whatsapp.apiVersion).toBe('v25.0');
  });
  it('refuses to start outside demo mode without AUTH_TOKENS, naming the variable', () => {
    expect(() => loadConfig({ WHATSAPP_API_TOKEN: 'x', WHATSAPP_APP_SECRET: 's', WHATSAPP_WEBHOOK_VERIFY_TOKEN: 'v', WHATSAPP_PHONE_NUMBER_ID: '1' })).toThrow(
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
  it('splits AUTH_TOKENS on commas', () => {
    expect(loadConfig({ AUTH_TOKENS: 'a, b,,c' }).authTokens).toEqual(['a', 'b', 'c']);
  });
});
