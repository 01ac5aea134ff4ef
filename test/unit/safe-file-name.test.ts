import { describe, expect, it } from 'vitest';
import { fallbackFileName, maxFileNameBytes, safeFileName } from '../../src/main/inbox/parse/safe-file-name';

const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

describe('attachment file names are safe to save on every platform', () => {
  it('keeps an ordinary name as it is, accents and spaces included', () => {
    expect(safeFileName('Devis n°12 – été.pdf')).toBe('Devis n°12 – été.pdf');
  });

  it('drops any directory, on "/" and on "\\"', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('..\\..\\Windows\\System32\\evil.dll')).toBe('evil.dll');
    expect(safeFileName('C:\\Users\\Public\\a.txt')).toBe('a.txt');
    expect(safeFileName('/abs/path/')).toBe('path');
  });

  it('never leaves ".." (or any leading dot) in the name', () => {
    expect(safeFileName('..')).toBe(fallbackFileName);
    expect(safeFileName('...pdf')).toBe('pdf');
    expect(safeFileName('report..pdf')).toBe('report.pdf');
    expect(safeFileName('.bashrc')).toBe('bashrc');
    expect(safeFileName('a/../b.txt')).toBe('b.txt');
  });

  it('removes control characters (C0, DEL, C1)', () => {
    expect(safeFileName('in\u0000voice\u0007\u001b[31m\u007f\u0085.pdf')).toBe('invoice[31m.pdf');
    expect(safeFileName('line\r\nbreak.txt')).toBe('linebreak.txt');
  });

  it('removes every bidirectional control, so "…\u202Efdp.exe" cannot pass for a PDF', () => {
    expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    const all = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C';
    expect(safeFileName(`a${all}b.txt`)).toBe('ab.txt');
  });

  it('renames the names Windows reserves, with any extension and in any case', () => {
    for (const reserved of ['CON', 'prn', 'Aux', 'NUL', 'COM1', 'com9', 'LPT1', 'lpt9', 'COM¹']) {
      expect(safeFileName(reserved)).toBe(`_${reserved}`);
      expect(safeFileName(`${reserved}.txt`)).toBe(`_${reserved}.txt`);
    }
    expect(safeFileName('con.tar.gz')).toBe('_con.tar.gz');
    expect(safeFileName('CON .txt')).toBe('_CON .txt');
    expect(safeFileName('nul.')).toBe('_nul');
    // Not reserved: a longer name, COM0, LPT10.
    expect(safeFileName('console.log')).toBe('console.log');
    expect(safeFileName('COM0.txt')).toBe('COM0.txt');
    expect(safeFileName('LPT10')).toBe('LPT10');
  });

  it('drops the trailing dots and spaces Windows would drop', () => {
    expect(safeFileName('payload.exe. . ')).toBe('payload.exe');
    expect(safeFileName('name ')).toBe('name');
  });

  it('replaces the characters Windows refuses', () => {
    expect(safeFileName('a<b>c:d"e|f?g*h.txt')).toBe('a_b_c_d_e_f_g_h.txt');
  });

  it('is at most 200 bytes of UTF-8, keeping the extension and whole characters', () => {
    const long = safeFileName(`${'a'.repeat(300)}.pdf`);
    expect(bytes(long)).toBe(maxFileNameBytes);
    expect(long.endsWith('.pdf')).toBe(true);
    const wide = safeFileName(`${'é'.repeat(150)}😀${'日'.repeat(100)}.docx`);
    expect(bytes(wide)).toBeLessThanOrEqual(maxFileNameBytes);
    expect(wide.endsWith('.docx')).toBe(true);
    expect(wide).not.toContain('\uFFFD');
    expect(Buffer.from(wide, 'utf8').toString('utf8')).toBe(wide);
    // An "extension" too long to be one is not kept whole.
    expect(bytes(safeFileName(`a.${'x'.repeat(400)}`))).toBeLessThanOrEqual(maxFileNameBytes);
  });

  it('gives "attachment" for a name that is empty or is nothing once cleaned', () => {
    expect(safeFileName(undefined)).toBe(fallbackFileName);
    expect(safeFileName('')).toBe(fallbackFileName);
    expect(safeFileName('   ')).toBe(fallbackFileName);
    expect(safeFileName('/')).toBe(fallbackFileName);
    expect(safeFileName('\u202E\u0000')).toBe(fallbackFileName);
    expect(safeFileName('. .')).toBe(fallbackFileName);
  });
});
