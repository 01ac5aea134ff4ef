/**
 * Message identifiers (RFC 5322 §3.6.4) without their angle brackets. Message-ID holds one; In-Reply-To and
 * References hold several, folded over lines, and in real mail also comments, display names, quoted
 * "Your message of …" phrases (RFC 822 allowed them) and ids broken by a mailer. Only the well-formed ids are
 * kept: "<" id-left "@" id-right ">", without white space.
 */

const bracketedId = /<([^<>@\s]+@[^<>@\s]+)>/g;
const bareId = /^[^<>@\s]+@[^<>@\s]+$/;
/** RFC 5322 §2.1.1's line limit; an id longer than a line is junk. */
const maxIdLength = 998;

export function messageIdsIn(value: string | undefined): string[] {
  if (value === undefined) return [];
  const ids: string[] = [];
  for (const match of withoutComments(value).matchAll(bracketedId)) {
    const id = match[1]!;
    if (id.length <= maxIdLength && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** The Message-ID: the first well-formed id, or a bare "left@right" that a mailer forgot to bracket. */
export function messageIdOf(value: string | undefined): string | null {
  const [first] = messageIdsIn(value);
  if (first !== undefined) return first;
  const bare = value?.trim() ?? '';
  return bareId.test(bare) && bare.length <= maxIdLength ? bare : null;
}

/**
 * Comments, which may hold an address that looks like an id ("(from Ann <ann@example.com>)"), are dropped;
 * a "(" inside an id's brackets or a quoted phrase is not a comment.
 */
function withoutComments(value: string): string {
  let depth = 0;
  let inId = false;
  let quoted = false;
  let out = '';
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index]!;
    if (depth > 0) {
      if (char === '\\') index += 1;
      else if (char === '(') depth += 1;
      else if (char === ')') depth -= 1;
      if (depth === 0) out += ' ';
      continue;
    }
    if (quoted) {
      if (char === '\\') index += 1;
      else if (char === '"') quoted = false;
      out += ' ';
      continue;
    }
    if (char === '(' && !inId) depth = 1;
    else if (char === '"' && !inId) quoted = true;
    else {
      if (char === '<') inId = true;
      else if (char === '>') inId = false;
      out += char;
    }
  }
  return out;
}
