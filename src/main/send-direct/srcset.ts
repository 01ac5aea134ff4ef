/** One image candidate's URL in a `srcset` value: where it starts and ends. */
export interface SrcsetUrl {
  readonly url: string;
  readonly start: number;
  readonly end: number;
}

const whitespace = /[\t\n\f\r ]/;

/**
 * The URLs of a `srcset` attribute, by the HTML standard's "parse a srcset attribute" (§4.8.4.3.10): candidates
 * separated by commas, each a URL (a run of non-white-space, trailing commas not included) followed by
 * descriptors up to the next comma outside parentheses. Only the URLs matter here, with their offsets in the
 * value, so that they can be replaced and the descriptors kept as written.
 */
export function srcsetUrls(value: string): SrcsetUrl[] {
  const urls: SrcsetUrl[] = [];
  let position = 0;
  const at = (index: number): string => value.charAt(index);
  while (position < value.length) {
    while (position < value.length && (whitespace.test(at(position)) || at(position) === ',')) position += 1;
    if (position >= value.length) break;
    const start = position;
    while (position < value.length && !whitespace.test(at(position))) position += 1;
    let end = position;
    if (at(end - 1) === ',') {
      // "If url ends with U+002C (,)": the commas end the candidate; there are no descriptors.
      while (end > start && at(end - 1) === ',') end -= 1;
      if (end > start) urls.push({ url: value.slice(start, end), start, end });
      continue;
    }
    urls.push({ url: value.slice(start, end), start, end });
    let inParentheses = false;
    while (position < value.length) {
      const char = at(position);
      position += 1;
      if (inParentheses) {
        if (char === ')') inParentheses = false;
      } else if (char === '(') {
        inParentheses = true;
      } else if (char === ',') {
        break;
      }
    }
  }
  return urls;
}
