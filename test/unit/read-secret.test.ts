import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecret, SecretEntryCancelled } from '../../src/main/cli/read-secret';

/** A terminal as tty.ReadStream presents it: isTTY, isRaw, setRawMode (recorded), bytes as typed. */
function fakeTerminal() {
  const stream = new PassThrough();
  const modes: boolean[] = [];
  let raw = false;
  const terminal = Object.assign(stream, {
    isTTY: true,
    isRaw: false,
    setRawMode(mode: boolean) {
      modes.push(mode);
      raw = mode;
      return terminal;
    },
  });
  // A getter, as on tty.ReadStream (Object.assign would copy a getter's value once).
  Object.defineProperty(terminal, 'isRaw', { get: () => raw });
  return { terminal, modes, isRaw: () => raw };
}

function recordingSink() {
  const written: string[] = [];
  return { written, write: (text: string) => written.push(text) };
}

describe('reading a password or a client secret from standard input', () => {
  it('on a terminal: prompts on the sink, turns echo off before the prompt, and restores the mode', async () => {
    const { terminal, modes, isRaw } = fakeTerminal();
    const sink = recordingSink();
    const reading = readSecret('Password: ', terminal, sink);
    expect(modes).toEqual([true]);
    expect(sink.written).toEqual(['Password: ']);
    terminal.write('s3cret');
    terminal.write('-typed\r');
    expect(await reading).toBe('s3cret-typed');
    expect(modes).toEqual([true, false]);
    expect(isRaw()).toBe(false);
    expect(sink.written.join('')).not.toContain('s3cret');
  });

  it('handles Backspace, Ctrl-U, arrow keys and characters split across reads', async () => {
    const { terminal } = fakeTerminal();
    const reading = readSecret('Password: ', terminal, recordingSink());
    const euro = Buffer.from('€');
    terminal.write('wrong\u0015pa');
    terminal.write('sz\u007f\bss\u001b[D');
    terminal.write(euro.subarray(0, 1));
    terminal.write(Buffer.concat([euro.subarray(1), Buffer.from('\n')]));
    expect(await reading).toBe('pass€');
  });

  it('Ctrl-C cancels (raw mode delivers it as a character, not SIGINT) and still restores the mode', async () => {
    const { terminal, modes } = fakeTerminal();
    const reading = readSecret('Password: ', terminal, recordingSink());
    terminal.write('half\u0003');
    await expect(reading).rejects.toBeInstanceOf(SecretEntryCancelled);
    expect(modes).toEqual([true, false]);
  });

  it('keeps a terminal that was already raw raw', async () => {
    const { terminal, modes } = fakeTerminal();
    terminal.setRawMode(true);
    const reading = readSecret('Secret: ', terminal, recordingSink());
    terminal.write('x\r');
    await reading;
    expect(modes).toEqual([true, true, true]);
  });

  it('from a pipe: reads everything, less one final line break, and prompts nothing', async () => {
    const pipe = new PassThrough();
    const sink = recordingSink();
    const reading = readSecret('Password: ', pipe, sink);
    pipe.end('line one\nline two\r\n');
    expect(await reading).toBe('line one\nline two');
    expect(sink.written).toEqual([]);
  });
});
