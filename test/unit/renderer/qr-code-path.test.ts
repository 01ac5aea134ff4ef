import { create } from 'qrcode';
import { describe, expect, it } from 'vitest';
import { qrCodePath } from '../../../src/renderer/admin/qr-code-path';

const uri = 'otpauth://totp/Mail%20Settings:admin%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Mail%20Settings&algorithm=SHA1&digits=6&period=30';

/** The dark squares of the path, as "row,column" of the QR symbol (the quiet zone taken off). */
function darkModules(path: string): Set<string> {
  return new Set([...path.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map(([, x, y]) => `${Number(y) - 4},${Number(x) - 4}`));
}

describe('the 2FA QR code (drawn in the app)', () => {
  it('draws exactly the dark modules of the otpauth URI’s QR symbol, inside a 4-module quiet zone', () => {
    const { modules } = create(uri, { errorCorrectionLevel: 'M' });
    const { size, path } = qrCodePath(uri);
    expect(size).toBe(modules.size + 8);
    const expected = new Set<string>();
    for (let row = 0; row < modules.size; row += 1) for (let column = 0; column < modules.size; column += 1) if (modules.get(row, column)) expected.add(`${row},${column}`);
    expect(darkModules(path)).toEqual(expected);
  });

  it('has the three finder patterns a camera looks for (ISO/IEC 18004: 7×7, dark ring, light ring, 3×3 core)', () => {
    const dark = darkModules(qrCodePath(uri).path);
    const symbolSize = qrCodePath(uri).size - 8;
    for (const [top, left] of [[0, 0], [0, symbolSize - 7], [symbolSize - 7, 0]] as const) {
      for (let row = 0; row < 7; row += 1) {
        for (let column = 0; column < 7; column += 1) {
          const ring = Math.max(Math.abs(row - 3), Math.abs(column - 3));
          expect(dark.has(`${top + row},${left + column}`), `finder at ${top},${left}: ${row},${column}`).toBe(ring !== 2);
        }
      }
    }
  });
});
