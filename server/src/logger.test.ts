import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, destination };
}

/** A pg error as the driver makes it: the values of the statement in `detail` and `where`. */
function duplicateKey() {
  return Object.assign(new Error('duplicate key value violates unique constraint "contact_wa_id_unique"'), {
    code: '23505',
    constraint: 'contact_wa_id_unique',
    detail: 'Key (wa_id)=(15559990000) already exists.',
    where: 'SQL statement "insert into contact values (\'15559990000\')"',
    parameters: ['15559990000', 'a private text'],
  });
}

describe('createLogger', () => {
  it('redacts credentials wherever they sit', () => {
    const { lines, destination } = capture();
    const log = createLogger({ level: 'info', destination });
    log.info({ req: { headers: { authorization: 'Bearer s1', cookie: 's2' } }, token: 's3', config: { session: { password: 's4' } }, secret: 's5' }, 'hello');
    expect(lines.join('')).not.toMatch(/s[1-5]"/);
    expect(lines.join('')).toContain('[redacted]');
  });

  it('keeps the values a database error quotes out of the log above debug, and in it at debug', () => {
    const info = capture();
    createLogger({ level: 'info', destination: info.destination }).error({ err: new Error('insert failed', { cause: duplicateKey() }) }, 'failed');
    const entry = JSON.parse(info.lines[0]!);
    expect(entry.err.message).toBe('insert failed');
    expect(entry.err.cause).toMatchObject({ code: '23505', constraint: 'contact_wa_id_unique' });
    expect(info.lines[0]).not.toContain('15559990000');
    expect(info.lines[0]).not.toContain('a private text');

    const debug = capture();
    createLogger({ level: 'debug', destination: debug.destination }).error({ err: duplicateKey() }, 'failed');
    expect(debug.lines[0]).toContain('Key (wa_id)=(15559990000) already exists.');
  });

  it('writes JSON lines, or human-readable lines when pretty (the default on a terminal)', () => {
    const json = capture();
    createLogger({ level: 'info', destination: json.destination }).info({ port: 4000 }, 'inbox running');
    expect(JSON.parse(json.lines[0]!)).toMatchObject({ level: 30, port: 4000, msg: 'inbox running' });

    const pretty = capture();
    createLogger({ level: 'info', destination: pretty.destination, pretty: true }).info({ port: 4000 }, 'inbox running');
    const text = pretty.lines.join('');
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: inbox running\n\s+port: 4000/);
  });
});
