import { html as htmlSpec, parse, type DefaultTreeAdapterTypes } from 'parse5';

/** An image attribute of the message's HTML: its value as a browser reads it, and where it is written. */
export interface ImageAttribute {
  readonly name: 'src' | 'srcset';
  /** With character references decoded (`&amp;` is `&`), as the browser and the mail client read it. */
  readonly value: string;
  /** Source offsets of the value as written, with its quotes if it has any: what a rewrite replaces. */
  readonly valueStart: number;
  readonly valueEnd: number;
}

/**
 * Every `src` and `srcset` of an HTML `<img>` in `html`. parse5 implements the WHATWG HTML parsing algorithm
 * itself, so an `<img>` is found exactly where a browser or a mail client finds one: in any case or quoting,
 * `<img/src=…>`, after a comment, inside `<template>` or `<noscript>`; and nothing in a comment, a
 * `<textarea>` or a `<script>` counts. (htmlparser2 is forgiving rather than standard here: its notion of an
 * element and the receiving client's can differ.) Its source locations give each attribute's offsets in the
 * original text, so the rest of the markup can be left byte for byte as it was.
 */
export function imageAttributesIn(html: string): ImageAttribute[] {
  // Scripting off: mail clients run no scripts, so they render what is inside <noscript> as HTML.
  const document = parse(html, { sourceCodeLocationInfo: true, scriptingEnabled: false });
  const found: ImageAttribute[] = [];
  const pending: DefaultTreeAdapterTypes.ParentNode[] = [document];
  // Depth-first without recursion: a pasted template may nest deeper than the call stack allows.
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if ('tagName' in node) {
      if (node.tagName === 'img' && node.namespaceURI === htmlSpec.NS.HTML) found.push(...attributesOf(html, node));
      if (node.tagName === 'template' && 'content' in node) pending.push(node.content);
    }
    for (let index = node.childNodes.length - 1; index >= 0; index -= 1) {
      const child = node.childNodes[index];
      if (child && 'childNodes' in child) pending.push(child);
    }
  }
  return found.sort((a, b) => a.valueStart - b.valueStart);
}

function attributesOf(html: string, element: DefaultTreeAdapterTypes.Element): ImageAttribute[] {
  const found: ImageAttribute[] = [];
  for (const { name, value } of element.attrs) {
    if (name !== 'src' && name !== 'srcset') continue;
    const location = element.sourceCodeLocation?.attrs?.[name];
    if (!location) continue;
    const valueStart = valueOffset(html, location.startOffset + name.length, location.endOffset);
    if (valueStart !== null) found.push({ name, value, valueStart, valueEnd: location.endOffset });
  }
  return found;
}

/** After the attribute's name: optional white space, `=`, optional white space, then the value (HTML §13.2.5.32–37). */
function valueOffset(html: string, afterName: number, end: number): number | null {
  const match = /^[\t\n\f\r ]*=[\t\n\f\r ]*/.exec(html.slice(afterName, end));
  return match ? afterName + match[0].length : null;
}

/**
 * Replaces attribute values (from `imageAttributesIn`) with new ones, written in double quotes with `&` and
 * `"` escaped (HTML §13.3 "Serialising HTML fragments", attribute mode). Everything else stays as it was.
 */
export function replaceAttributeValues(html: string, replacements: readonly { readonly attribute: ImageAttribute; readonly value: string }[]): string {
  const ordered = [...replacements].sort((a, b) => a.attribute.valueStart - b.attribute.valueStart);
  let out = '';
  let copied = 0;
  for (const { attribute, value } of ordered) {
    out += html.slice(copied, attribute.valueStart) + `"${value.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}"`;
    copied = attribute.valueEnd;
  }
  return out + html.slice(copied);
}
