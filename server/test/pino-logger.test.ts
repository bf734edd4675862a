import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPinoLogger } from '../src/pino-logger.ts';

/** A stream that keeps what the logger wrote, line by line. */
function memory() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return Object.assign(stream, { lines });
}

describe('createPinoLogger', () => {
  it('Should write JSON lines with ISO time, level name, message and fields, and each failure in full with its cause chain', () => {
    const out = memory();
    const log = createPinoLogger({ level: 'info', format: 'json', destination: out });
    log.info('run started', { threadId: 'thr_1', runId: 'run_1', skipped: undefined });
    const upstream = Object.assign(new Error('HTTP 503 from api.example.com'), { status: 503, body: '{"error":"overloaded"}' });
    log.error('model call failed', new Error('the model did not answer', { cause: upstream }), { runId: 'run_1' });
    log.warn('odd value thrown', 'just a string');
    const [started, failed, odd] = out.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(started).toEqual({ level: 'info', time: expect.any(String), msg: 'run started', threadId: 'thr_1', runId: 'run_1' });
    expect(new Date(started!.time as string).toISOString()).toBe(started!.time);
    expect(failed).toMatchObject({
      level: 'error',
      msg: 'model call failed',
      runId: 'run_1',
      err: { type: 'Error', message: 'the model did not answer', stack: expect.stringContaining('pino-logger.test.ts'), cause: { message: 'HTTP 503 from api.example.com', status: 503, body: '{"error":"overloaded"}' } },
    });
    expect(odd).toMatchObject({ level: 'warn', err: { message: 'just a string' } });
  });

  it('Should never write a token or key that a caller passes as a field', () => {
    const out = memory();
    const log = createPinoLogger({ level: 'info', format: 'json', destination: out });
    log.info('hello', { visitorToken: 'vt1.secret', authorization: 'Bearer sk-live', apiKey: 'sk-1', connectionId: 'con_1' });
    expect(out.lines[0]).not.toMatch(/secret|sk-live|sk-1/);
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ visitorToken: '[redacted]', authorization: '[redacted]', apiKey: '[redacted]', connectionId: 'con_1' });
  });

  it('Should drop lines below the level, and write nothing when silent', () => {
    const out = memory();
    const warnOnly = createPinoLogger({ level: 'warn', format: 'json', destination: out });
    warnOnly.info('not this');
    warnOnly.warn('this');
    expect(out.lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual(['this']);
    const silent = memory();
    createPinoLogger({ level: 'silent', format: 'json', destination: silent }).error('nothing', new Error('x'));
    expect(silent.lines).toEqual([]);
  });

  it('Should format lines for a person with `pretty`: time, level, message, then the fields', () => {
    const out = memory();
    createPinoLogger({ level: 'info', format: 'pretty', destination: out }).info('agent-chat http://127.0.0.1:8787', { threadId: 'thr_1' });
    expect(out.lines[0]).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: agent-chat http:\/\/127\.0\.0\.1:8787$/);
    expect(out.lines.join('\n')).toContain('threadId: "thr_1"');
  });
});
