import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { SecretRegistry } from '../../src/main/log/redact';
import { createServiceLog } from '../../src/main/service/service-log';
import { listenForStopSignals, type StopSignal } from '../../src/main/service/stop-signals';

function logInto(lines: string[], secrets = new SecretRegistry()) {
  return createServiceLog((line) => lines.push(line), secrets);
}

describe('the service log (journald lines on stdout)', () => {
  it('starts each line with its sd-daemon priority, then the event and key=value fields, one line each', () => {
    const lines: string[] = [];
    const log = logInto(lines);
    log.error('retrieval failed', { inbox: 'lead', error: 'CONNECTION_REFUSED', message: 'The server refused the connection.', next_try: 'in 5m' });
    log.warn('re-authentication needed', { mailbox: 'send' });
    log.info('retrieval finished', { inbox: 'lead', retrieved: 3, skipped: undefined, empty: '' });
    log.debug('batch kept', { inbox: 'lead', list: ['lead', 'service-desk'] });
    expect(lines).toEqual([
      '<3>retrieval failed inbox=lead error=CONNECTION_REFUSED message="The server refused the connection." next_try="in 5m"\n',
      '<4>re-authentication needed mailbox=send\n',
      '<6>retrieval finished inbox=lead retrieved=3 empty=""\n',
      '<7>batch kept inbox=lead list=lead,service-desk\n',
    ]);
  });

  it('never lets a value start another line or carry a colour code', () => {
    const lines: string[] = [];
    logInto(lines).error('retrieval failed\nforged', { message: 'line one\r\n<6>forged line \u001b[31mred\u001b[0m "quoted" back\\slash' });
    expect(lines).toHaveLength(1);
    for (const character of ['\n', '\r', '\u001b']) expect(lines[0]?.slice(0, -1)).not.toContain(character);
    expect(lines[0]).toBe('<3>retrieval failed\\u000aforged message="line one\\\\u000d\\\\u000a<6>forged line \\\\u001b[31mred\\\\u001b[0m \\"quoted\\" back\\\\slash"\n');
  });

  it('blanks every secret the process has seen, and secret shapes from a server’s words', () => {
    const secrets = new SecretRegistry();
    secrets.remember('hunter2-password');
    const lines: string[] = [];
    logInto(lines, secrets).error('retrieval failed', { message: 'NO [AUTHENTICATIONFAILED] hunter2-password rejected', detail: 'AUTHENTICATE PLAIN AGxlYWRAZXhhbXBsZS50ZXN0AGh1bnRlcjI=', token: 'Bearer eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' });
    expect(lines[0]).not.toContain('hunter2');
    expect(lines[0]).not.toContain('AGxlYWRA');
    expect(lines[0]).not.toContain('eyJ');
    expect(lines[0]).toContain('[redacted]');
  });
});

describe('stop signals', () => {
  it('resolves with the first SIGTERM or SIGINT; a second one goes to the handler, or exits with 128 + its number', async () => {
    const source = new EventEmitter();
    const exits: number[] = [];
    const signals = listenForStopSignals(source as never, (code) => exits.push(code));
    source.emit('SIGTERM');
    expect(await signals.first).toBe('SIGTERM');
    source.emit('SIGINT');
    expect(exits).toEqual([130]);
    const seconds: StopSignal[] = [];
    signals.onSecond((signal) => seconds.push(signal));
    source.emit('SIGTERM');
    expect(seconds).toEqual(['SIGTERM']);
    signals.dispose();
    expect(source.listenerCount('SIGTERM') + source.listenerCount('SIGINT')).toBe(0);
  });

  it('can be the only listener: a library that sends the signal again (to end the process) is taken off', async () => {
    const source = new EventEmitter();
    const exits: number[] = [];
    const signals = listenForStopSignals(source as never, (code) => exits.push(code));
    // As when-exit does (conf → atomically): once, and the same signal again.
    source.once('SIGTERM', () => source.emit('SIGTERM'));
    signals.ownAlone();
    source.emit('SIGTERM');
    expect(await signals.first).toBe('SIGTERM');
    expect(exits).toEqual([]);
    expect(source.listenerCount('SIGTERM')).toBe(1);
  });
});
