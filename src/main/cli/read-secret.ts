import { StringDecoder } from 'node:string_decoder';

/** Standard input as the CLI sees it: a terminal (tty.ReadStream) or a pipe. */
export type SecretSource = NodeJS.ReadableStream & {
  readonly isTTY?: boolean;
  readonly isRaw?: boolean;
  setRawMode?: (mode: boolean) => unknown;
};

/** Where the prompt goes: standard error, so that standard output stays clean for --json. */
export interface PromptSink {
  write(text: string): unknown;
}

/** The user pressed Ctrl-C at the prompt (in raw mode the terminal sends it as a character, not SIGINT). */
export class SecretEntryCancelled extends Error {
  constructor() {
    super('Cancelled.');
    this.name = 'SecretEntryCancelled';
  }
}

/**
 * Reads a password or a client secret from standard input. From a pipe: everything, less one final line
 * break (`printf %s "$SECRET" |`, `echo "$SECRET" |` or a here-string all work). From a terminal: after a
 * prompt on `prompt`, with echo off, until Enter; the terminal mode is restored whatever happens.
 */
export function readSecret(prompt: string, input: SecretSource = process.stdin, output: PromptSink = process.stderr): Promise<string> {
  return input.isTTY === true && typeof input.setRawMode === 'function' ? readFromTerminal(prompt, input, output) : readFromPipe(input);
}

async function readFromPipe(input: SecretSource): Promise<string> {
  const decoder = new StringDecoder('utf8');
  let text = '';
  for await (const chunk of input) text += typeof chunk === 'string' ? chunk : decoder.write(chunk);
  return (text + decoder.end()).replace(/\r?\n$/, '');
}

const enter = new Set(['\r', '\n']);
const ctrlC = '\u0003';
const ctrlD = '\u0004';
const ctrlU = '\u0015';
/** DEL is what Backspace sends on most terminals; BS (Ctrl-H) on some. */
const erase = new Set(['\u007f', '\b']);
const escape = '\u001b';

/**
 * Raw mode turns echo and line editing off (termios ECHO and ICANON cleared: tty.ReadStream#setRawMode), so
 * the few editing keys a password prompt needs are handled here: Backspace, Ctrl-U (erase the line),
 * Ctrl-C (cancel), Ctrl-D on an empty line (end), and escape sequences (arrow keys) are ignored.
 */
function readFromTerminal(prompt: string, input: SecretSource, output: PromptSink): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    const wasRaw = input.isRaw === true;
    const decoder = new StringDecoder('utf8');
    let typed: string[] = [];
    /** Inside an escape sequence: after ESC, and after ESC [ or ESC O until its final byte (ECMA-48 §5.4). */
    let sequence: 'none' | 'escape' | 'control' = 'none';

    const finish = (error?: Error): void => {
      input.removeListener('data', onData);
      input.removeListener('end', onEnd);
      input.setRawMode?.(wasRaw);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed.join(''));
    };
    const onEnd = (): void => finish();
    const onData = (chunk: string | Buffer): void => {
      for (const character of typeof chunk === 'string' ? chunk : decoder.write(chunk)) {
        if (sequence === 'escape') {
          sequence = character === '[' || character === 'O' ? 'control' : 'none';
          continue;
        }
        if (sequence === 'control') {
          if (character >= '@' && character <= '~') sequence = 'none';
          continue;
        }
        if (enter.has(character)) return finish();
        if (character === ctrlC) return finish(new SecretEntryCancelled());
        if (character === ctrlD) {
          if (typed.length === 0) return finish();
        } else if (erase.has(character)) typed.pop();
        else if (character === ctrlU) typed = [];
        else if (character === escape) sequence = 'escape';
        else if (character >= ' ') typed.push(character);
      }
    };

    // Echo goes off before the prompt shows: whatever is typed after the prompt appears is never echoed.
    input.setRawMode?.(true);
    input.on('data', onData);
    input.on('end', onEnd);
    input.resume();
    output.write(prompt);
  });
}
