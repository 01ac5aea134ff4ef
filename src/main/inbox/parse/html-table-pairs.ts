import { parse, type DefaultTreeAdapterTypes } from 'parse5';

type Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.Document;
type Element = DefaultTreeAdapterTypes.Element;

/** Form mail is small; a bigger HTML body is not a web-form submission and is not parsed for one. */
export const maxFormHtmlLength = 512 * 1024;

/** Elements whose end starts a new line in the text of a cell. */
const lineBreaking = new Set(['br', 'p', 'div', 'li', 'tr']);
/** Elements that hold no text a reader sees. */
const notText = new Set(['script', 'style', 'template', 'head', 'title']);

/**
 * The label/value pairs of the HTML tables a web form mails: every row with exactly two cells (th or td), the
 * first cell's text as the label. parse5 reads the HTML as a browser does (the WHATWG algorithm), so unclosed
 * cells and rows and implied tbody come out as the sender's mail client showed them.
 */
export function htmlTablePairs(html: string): Array<readonly [string, string]> {
  if (html.length > maxFormHtmlLength) return [];
  const pairs: Array<readonly [string, string]> = [];
  const pending: Node[] = [parse(html, { scriptingEnabled: false })];
  // Depth-first without recursion: mail HTML can nest deeper than the call stack allows.
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (isElement(node) && node.tagName === 'tr') {
      const cells = node.childNodes.filter((child): child is Element => isElement(child) && (child.tagName === 'td' || child.tagName === 'th'));
      if (cells.length === 2) pairs.push([textOf(cells[0]!), textOf(cells[1]!)]);
    }
    if ('childNodes' in node) for (let index = node.childNodes.length - 1; index >= 0; index -= 1) pending.push(node.childNodes[index]!);
  }
  return pairs;
}

function isElement(node: Node): node is Element {
  return 'tagName' in node;
}

/** The text of a cell as shown: white space collapsed within lines, line breaks kept, lines trimmed. */
function textOf(cell: Element): string {
  let text = '';
  const pending: Array<Node | 'newline'> = [...cell.childNodes].reverse();
  for (let node = pending.pop(); node !== undefined; node = pending.pop()) {
    if (node === 'newline') text += '\n';
    else if (node.nodeName === '#text' && 'value' in node) text += node.value;
    else if (isElement(node) && !notText.has(node.tagName)) {
      if (node.tagName === 'br') {
        text += '\n';
        continue;
      }
      if (lineBreaking.has(node.tagName)) pending.push('newline');
      for (let index = node.childNodes.length - 1; index >= 0; index -= 1) pending.push(node.childNodes[index]!);
    }
  }
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
