import { create } from 'qrcode';

/** A QR code as one SVG path: a 1×1 square per dark module, in module units, inside a quiet zone. */
export interface QrCodePath {
  /** Modules across, the quiet zone included (the viewBox's width and height). */
  readonly size: number;
  readonly path: string;
}

/**
 * The QR code of `text` (ISO/IEC 18004, drawn in the app: the otpauth URI holds the TOTP secret and must not
 * go to a web service). Error correction M, the authenticator apps' usual, and the standard's 4-module quiet
 * zone, so a phone camera finds the code against the dialog.
 */
export function qrCodePath(text: string): QrCodePath {
  const quietZone = 4;
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const squares: string[] = [];
  for (let row = 0; row < modules.size; row += 1) {
    for (let column = 0; column < modules.size; column += 1) {
      if (modules.get(row, column)) squares.push(`M${column + quietZone} ${row + quietZone}h1v1h-1z`);
    }
  }
  return { size: modules.size + 2 * quietZone, path: squares.join('') };
}
