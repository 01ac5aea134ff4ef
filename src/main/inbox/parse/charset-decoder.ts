import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { IconvConstructor } from 'mailparser';
import { decodeEightBit } from './eight-bit-text';

/**
 * Body charsets (RFC 2045 §5.1, RFC 2046 §4.1.2) decoded with the WHATWG Encoding Standard's decoders
 * (TextDecoder): the charsets a browser reads, under every label a browser accepts. Plugged into mailparser
 * through its `Iconv` option, so that a charset nobody knows is seen and reported instead of silently read as
 * UTF-8: its bytes are read as UTF-8 when they are UTF-8 and as Latin-1 otherwise, and the label is added to
 * `unknown`. (mailparser never hands UTF-7 to this decoder: it reads UTF-7 as UTF-8 on purpose, so that
 * "+ADw-script+AD4-" can never turn into markup.)
 */
export function charsetDecoders(unknown: Set<string>): IconvConstructor {
  return class CharsetDecoder extends Transform {
    readonly #decoder: TextDecoder | null;
    readonly #undecoded: Buffer[] = [];

    constructor(charset: string, _toCharset: string) {
      super();
      this.#decoder = textDecoderFor(charset);
      if (!this.#decoder) unknown.add(charset);
    }

    override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
      if (this.#decoder) this.#pushText(this.#decoder.decode(chunk, { stream: true }));
      else this.#undecoded.push(chunk);
      done();
    }

    override _flush(done: TransformCallback): void {
      this.#pushText(this.#decoder ? this.#decoder.decode() : decodeEightBit(Buffer.concat(this.#undecoded)).text);
      done();
    }

    #pushText(text: string): void {
      if (text.length > 0) this.push(Buffer.from(text, 'utf8'));
    }
  };
}

/** Labels mail uses that the Encoding Standard does not list (mailparser renames ks_c_5601-1987 to CP949). */
const aliases: Readonly<Record<string, string>> = { cp949: 'euc-kr', 'x-cp949': 'euc-kr', ms949: 'euc-kr' };

function textDecoderFor(charset: string): TextDecoder | null {
  const label = charset.trim().replace(/^["']|["']$/g, '').toLowerCase();
  try {
    return new TextDecoder(aliases[label] ?? label);
  } catch {
    return null;
  }
}
