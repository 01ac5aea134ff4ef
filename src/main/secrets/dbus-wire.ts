/**
 * The little of the D-Bus wire format (D-Bus Specification, "Message Protocol") that one method call and
 * its reply need: a method call whose arguments are strings or a string-to-string dict, and a reply read
 * as arrays of object paths or an error name and text. Little-endian out; either byte order in, as the
 * specification lets every sender choose.
 */

export const messageType = { methodCall: 1, methodReturn: 2, error: 3, signal: 4 } as const;

/** Header field codes (specification, "Header Fields"). */
const field = { path: 1, interface: 2, member: 3, errorName: 4, replySerial: 5, destination: 6, signature: 8 } as const;

/** Bytes written with each value aligned to its type's boundary, counted from the start of the buffer. */
class WireWriter {
  private readonly bytes: number[] = [];

  get length(): number {
    return this.bytes.length;
  }

  align(boundary: number): void {
    while (this.bytes.length % boundary !== 0) this.bytes.push(0);
  }

  byte(value: number): void {
    this.bytes.push(value & 0xff);
  }

  uint32(value: number): void {
    this.align(4);
    this.bytes.push(value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  }

  patchUint32(at: number, value: number): void {
    this.bytes.splice(at, 4, value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff);
  }

  /** STRING and OBJECT_PATH: uint32 length, UTF-8 bytes, a nul. */
  string(value: string): void {
    const utf8 = Buffer.from(value, 'utf8');
    this.uint32(utf8.length);
    this.bytes.push(...utf8, 0);
  }

  /** SIGNATURE: one length byte, ASCII, a nul. */
  signature(value: string): void {
    this.byte(value.length);
    this.bytes.push(...Buffer.from(value, 'ascii'), 0);
  }

  /** An ARRAY: uint32 byte length (not counting the padding to the first element), then the elements. */
  array(elementBoundary: number, writeElements: () => void): void {
    this.uint32(0);
    const lengthAt = this.length - 4;
    this.align(elementBoundary);
    const start = this.length;
    writeElements();
    this.patchUint32(lengthAt, this.length - start);
  }

  buffer(): Buffer {
    return Buffer.from(this.bytes);
  }
}

/** One argument of a method call: a string, or a dict of strings (signature a{ss}). */
export type CallArgument = string | Readonly<Record<string, string>>;

export interface MethodCall {
  readonly destination: string;
  readonly path: string;
  readonly interface: string;
  readonly member: string;
  readonly args?: readonly CallArgument[];
}

/** The bytes of a method call message with the given serial (non-zero, unique on the connection). */
export function encodeMethodCall(call: MethodCall, serial: number): Buffer {
  // The body starts on an 8-byte boundary of the message, so writing it on its own keeps its alignment.
  const body = new WireWriter();
  let signature = '';
  for (const arg of call.args ?? []) {
    if (typeof arg === 'string') {
      signature += 's';
      body.string(arg);
    } else {
      signature += 'a{ss}';
      // DICT_ENTRY is aligned like a STRUCT: to 8.
      body.array(8, () => {
        for (const [key, value] of Object.entries(arg)) {
          body.align(8);
          body.string(key);
          body.string(value);
        }
      });
    }
  }
  const header = new WireWriter();
  header.byte('l'.charCodeAt(0));
  header.byte(messageType.methodCall);
  header.byte(0);
  header.byte(1); // protocol version
  header.uint32(body.length);
  header.uint32(serial);
  const fields: [number, string, string][] = [
    [field.path, 'o', call.path],
    [field.interface, 's', call.interface],
    [field.member, 's', call.member],
    [field.destination, 's', call.destination],
  ];
  if (signature !== '') fields.push([field.signature, 'g', signature]);
  header.array(8, () => {
    for (const [code, type, value] of fields) {
      header.align(8);
      header.byte(code);
      header.signature(type);
      if (type === 'g') header.signature(value);
      else header.string(value);
    }
  });
  header.align(8);
  return Buffer.concat([header.buffer(), body.buffer()]);
}

/** A message read off the wire: what a caller needs to match a reply and read its body. */
export interface ReceivedMessage {
  readonly type: number;
  readonly replySerial?: number;
  readonly errorName?: string;
  readonly signature: string;
  readonly body: WireReader;
}

/** Reads values aligned to their type's boundary, counted from the start of `bytes`. */
export class WireReader {
  constructor(
    private readonly bytes: Buffer,
    private readonly littleEndian: boolean,
    private offset = 0,
  ) {}

  get atEnd(): boolean {
    return this.offset >= this.bytes.length;
  }

  align(boundary: number): void {
    this.offset = Math.ceil(this.offset / boundary) * boundary;
  }

  byte(): number {
    return this.bytes.readUInt8(this.offset++);
  }

  uint32(): number {
    this.align(4);
    const value = this.littleEndian ? this.bytes.readUInt32LE(this.offset) : this.bytes.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  string(): string {
    const length = this.uint32();
    const value = this.bytes.toString('utf8', this.offset, this.offset + length);
    this.offset += length + 1;
    return value;
  }

  signature(): string {
    const length = this.byte();
    const value = this.bytes.toString('ascii', this.offset, this.offset + length);
    this.offset += length + 1;
    return value;
  }

  /** An ARRAY of OBJECT_PATH (signature ao). */
  objectPaths(): string[] {
    const length = this.uint32();
    const end = this.offset + length;
    const paths: string[] = [];
    while (this.offset < end) paths.push(this.string());
    return paths;
  }
}

/** The length of the first whole message in `bytes`, or undefined while it has not all arrived. */
export function messageLength(bytes: Buffer): number | undefined {
  if (bytes.length < 16) return undefined;
  const littleEndian = bytes[0] === 'l'.charCodeAt(0);
  const bodyLength = littleEndian ? bytes.readUInt32LE(4) : bytes.readUInt32BE(4);
  const fieldsLength = littleEndian ? bytes.readUInt32LE(12) : bytes.readUInt32BE(12);
  const total = Math.ceil((16 + fieldsLength) / 8) * 8 + bodyLength;
  return bytes.length >= total ? total : undefined;
}

/** Reads one whole message (its length from messageLength). */
export function decodeMessage(bytes: Buffer): ReceivedMessage {
  const littleEndian = bytes[0] === 'l'.charCodeAt(0);
  const reader = new WireReader(bytes, littleEndian);
  reader.byte();
  const type = reader.byte();
  reader.byte(); // flags
  reader.byte(); // version
  const bodyLength = reader.uint32();
  reader.uint32(); // serial
  const fieldsLength = reader.uint32();
  const fieldsEnd = 16 + fieldsLength;
  // The fields array starts right after the fixed 16 bytes; offsets stay the message's, for alignment.
  const fields = new WireReader(bytes.subarray(0, fieldsEnd), littleEndian, 16);
  let replySerial: number | undefined;
  let errorName: string | undefined;
  let signature = '';
  while (!fields.atEnd) {
    fields.align(8);
    const code = fields.byte();
    const type = fields.signature();
    const value = type === 'u' || type === 'h' ? fields.uint32() : type === 'g' ? fields.signature() : fields.string();
    if (code === field.replySerial && typeof value === 'number') replySerial = value;
    if (code === field.errorName && typeof value === 'string') errorName = value;
    if (code === field.signature && typeof value === 'string') signature = value;
  }
  const bodyStart = Math.ceil(fieldsEnd / 8) * 8;
  return {
    type,
    ...(replySerial === undefined ? {} : { replySerial }),
    ...(errorName === undefined ? {} : { errorName }),
    signature,
    body: new WireReader(bytes.subarray(bodyStart, bodyStart + bodyLength), littleEndian),
  };
}
