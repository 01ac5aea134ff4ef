import { describe, expect, it } from 'vitest';
import { imageAttributesIn, replaceAttributeValues } from '../../src/main/send-direct/html-image-attributes';
import { srcsetUrls } from '../../src/main/send-direct/srcset';

const values = (html: string) => imageAttributesIn(html).map(({ name, value }) => [name, value]);

describe('the <img> attributes of an HTML message, as a browser parses them', () => {
  it('finds src in any case and quoting, and srcset', () => {
    const html = `<IMG SRC="/a.png"><img src='/b.png'><img src=/c.png><Img Src = "/d.png" SrcSet="/e.png 2x"><img/src=/f.png>`;
    expect(values(html)).toEqual([
      ['src', '/a.png'],
      ['src', '/b.png'],
      ['src', '/c.png'],
      ['src', '/d.png'],
      ['srcset', '/e.png 2x'],
      ['src', '/f.png'],
    ]);
  });

  it('decodes character references as the browser does', () => {
    expect(values('<img src="/etc/&#112;asswd"><img src=/a&amp;b.png>')).toEqual([
      ['src', '/etc/passwd'],
      ['src', '/a&b.png'],
    ]);
  });

  it('finds images inside <template> and <noscript> (mail clients run no scripts), and over CRLF line ends', () => {
    expect(values('<template><img src="/t.png"></template><noscript><img src="/n.png"></noscript>\r\n<p>\r\n<img\r\nsrc="/r.png">')).toEqual([
      ['src', '/t.png'],
      ['src', '/n.png'],
      ['src', '/r.png'],
    ]);
  });

  it('ignores what is not an <img>: comments, text, <textarea>, <script>, other elements, a valueless src', () => {
    const html = `<!-- <img src="/c.png"> --><p>&lt;img src="/t.png"&gt;</p><textarea><img src="/x.png"></textarea>
      <script>document.write('<img src="/s.png">')</script><image-gallery src="/g.png"></image-gallery><video src="/v.png"></video><img src>`;
    expect(values(html)).toEqual([]);
  });

  it('takes the first of two src attributes, as the browser does', () => {
    expect(values('<img src="/first.png" src="/second.png">')).toEqual([['src', '/first.png']]);
  });

  it('replaces only the values, leaving every other byte as it was', () => {
    const html = `<p class=x>Hi\r\n<IMG alt='A "quote"' SRC = /a.png   title=t>\n<img srcset='/b.png 1x, /c.png 2x'></p>`;
    const [src, srcset] = imageAttributesIn(html);
    if (!src || !srcset) throw new Error('both attributes should be found');
    const out = replaceAttributeValues(html, [
      { attribute: srcset, value: 'cid:b 1x, "c" & d 2x' },
      { attribute: src, value: 'cid:a' },
    ]);
    expect(out).toBe(`<p class=x>Hi\r\n<IMG alt='A "quote"' SRC = "cid:a"   title=t>\n<img srcset="cid:b 1x, &quot;c&quot; &amp; d 2x"></p>`);
  });
});

describe('srcset candidates (HTML "parse a srcset attribute")', () => {
  it('finds each URL with its offsets, keeping descriptors out', () => {
    const value = ' /a.png 1x,/b.png  2x , /c.png 480w ';
    expect(srcsetUrls(value).map(({ url, start, end }) => [url, value.slice(start, end) === url])).toEqual([
      ['/a.png', true],
      ['/b.png', true],
      ['/c.png', true],
    ]);
  });

  it('ends a URL at trailing commas, and skips commas inside descriptor parentheses', () => {
    expect(srcsetUrls('/a.png,/b.png 1x').map((candidate) => candidate.url)).toEqual(['/a.png,/b.png']);
    expect(srcsetUrls('/a.png, /b.png,, /c.png').map((candidate) => candidate.url)).toEqual(['/a.png', '/b.png', '/c.png']);
    expect(srcsetUrls('/a.png foo(1, 2) 2x, /b.png').map((candidate) => candidate.url)).toEqual(['/a.png', '/b.png']);
    expect(srcsetUrls(' , ,')).toEqual([]);
  });
});
