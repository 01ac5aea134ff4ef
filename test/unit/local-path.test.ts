import { describe, expect, it } from 'vitest';
import { classifyImageSource, classifyLocalPath } from '../../src/main/files/local-path';

describe('which image sources are files of this computer (POSIX rules)', () => {
  const posix = (source: string) => classifyImageSource(source, 'posix');

  it('embeds absolute paths and file: URLs without a host or with localhost', () => {
    expect(posix('/home/u/logo.png')).toEqual({ kind: 'local', path: '/home/u/logo.png' });
    expect(posix('  /home/u/logo.png\n')).toEqual({ kind: 'local', path: '/home/u/logo.png' });
    expect(posix('file:///home/u/team%20photo.jpg')).toEqual({ kind: 'local', path: '/home/u/team photo.jpg' });
    expect(posix('FILE://localhost/home/u/a.png')).toEqual({ kind: 'local', path: '/home/u/a.png' });
  });

  it('leaves web, cid:, data: and relative URLs alone', () => {
    for (const source of ['https://example.com/a.png', 'HTTP://example.com/a.png', 'cid:logo@x', 'data:image/png;base64,AAAA', 'images/a.png', 'a.png', '', 'mailto:x@y.z']) {
      expect(posix(source), source).toEqual({ kind: 'not-local' });
    }
  });

  it('refuses network paths on POSIX too: //host, \\\\host, file://host', () => {
    for (const source of ['//fileserver/share/x.png', '\\\\fileserver\\share\\x.png', '/\\fileserver/x.png', 'file://fileserver/share/x.png', 'file:////fileserver/share/x.png']) {
      expect(posix(source), source).toEqual({ kind: 'refused', reason: 'network' });
    }
  });

  it('refuses Win32 device and namespace paths on POSIX too', () => {
    expect(posix('\\\\.\\PhysicalDrive0')).toEqual({ kind: 'refused', reason: 'device' });
    expect(posix('\\\\?\\UNC\\fileserver\\share\\x.png')).toEqual({ kind: 'refused', reason: 'network' });
    expect(posix('\\\\?\\GLOBALROOT\\Device\\x')).toEqual({ kind: 'refused', reason: 'device' });
  });

  it('refuses a file: URL with an encoded separator', () => {
    expect(posix('file:///home/u%2F..%2Fetc/passwd')).toEqual({ kind: 'refused', reason: 'not-found' });
  });
});

describe('which image sources are files of this computer (Windows rules, tested everywhere)', () => {
  const windows = (source: string) => classifyImageSource(source, 'win32');

  it('embeds drive paths (either slash), rooted paths and file: URLs of a drive', () => {
    expect(windows('C:\\Users\\u\\logo.png')).toEqual({ kind: 'local', path: 'C:\\Users\\u\\logo.png' });
    expect(windows('c:/Users/u/logo.png')).toEqual({ kind: 'local', path: 'c:/Users/u/logo.png' });
    expect(windows('\\Users\\u\\logo.png')).toEqual({ kind: 'local', path: '\\Users\\u\\logo.png' });
    expect(windows('file:///C:/Users/u/team%20photo.jpg')).toEqual({ kind: 'local', path: 'C:\\Users\\u\\team photo.jpg' });
    expect(windows('file://localhost/C:/a.png')).toEqual({ kind: 'local', path: 'C:\\a.png' });
  });

  it('refuses UNC paths in every spelling, and file: URLs naming a host', () => {
    for (const source of [
      '\\\\fileserver\\share\\x.png',
      '//fileserver/share/x.png',
      '\\/fileserver/share/x.png',
      '\\\\?\\UNC\\fileserver\\share\\x.png',
      '//?/UNC/fileserver/share/x.png',
      'file://fileserver/share/x.png',
      'file:////fileserver/share/x.png',
      'file://10.0.0.5/c$/x.png',
    ]) {
      expect(windows(source), source).toEqual({ kind: 'refused', reason: 'network' });
    }
  });

  it('refuses device paths', () => {
    for (const source of ['\\\\.\\PhysicalDrive0', '//./COM1', '\\\\.\\pipe\\x', '\\\\?\\C:\\x.png', '\\\\?\\Volume{0}\\x.png']) {
      expect(windows(source), source).toEqual({ kind: 'refused', reason: 'device' });
    }
  });

  it('leaves web and relative URLs alone, and a drive letter is not a URL scheme', () => {
    expect(windows('https://example.com/a.png')).toEqual({ kind: 'not-local' });
    expect(windows('images\\a.png')).toEqual({ kind: 'not-local' });
    expect(windows('D:\\a.png')).toMatchObject({ kind: 'local' });
  });

  it('refuses a file: URL that is not a Windows path', () => {
    expect(windows('file:///home/u/a.png')).toEqual({ kind: 'refused', reason: 'not-found' });
  });
});

describe('paths given as files (the CLI’s --attach, the open-file dialog)', () => {
  it('resolves a relative path against the working directory and keeps an absolute one', () => {
    expect(classifyLocalPath('notes.pdf', 'posix')).toEqual({ kind: 'local', path: `${process.cwd()}/notes.pdf` });
    expect(classifyLocalPath('/srv/a.pdf', 'posix')).toEqual({ kind: 'local', path: '/srv/a.pdf' });
  });

  it('refuses network paths, device paths and NUL on both platforms', () => {
    for (const platform of ['posix', 'win32'] as const) {
      expect(classifyLocalPath('\\\\host\\share\\a.pdf', platform)).toEqual({ kind: 'refused', reason: 'network' });
      expect(classifyLocalPath('//host/share/a.pdf', platform)).toEqual({ kind: 'refused', reason: 'network' });
      expect(classifyLocalPath('\\\\.\\CON', platform)).toEqual({ kind: 'refused', reason: 'device' });
      expect(classifyLocalPath('/tmp/a\0.pdf', platform)).toEqual({ kind: 'refused', reason: 'not-found' });
    }
  });
});
