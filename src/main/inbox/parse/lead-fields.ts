import type { LeadFields } from '../inbound-message';
import { htmlTablePairs } from './html-table-pairs';
import { meaningOf, type FieldMeaning } from './lead-field-keys';

/**
 * The fields of a web-form submission (Lead Inbox), from a JSON body (one top-level object, sent as the text
 * or as an application/json part: `jsonBodies`), the HTML tables form mailers write (label | value rows), or
 * "Label: Value" lines of text, in that order: the first that reads as a form wins. Mail that is not a form gives no fields (it becomes a plain note): a form names at
 * least two different fields, one of them the name or the email address, so that "Tel: …" in a signature
 * does not make a lead.
 */
export function leadFieldsFrom(text: string, html: string | null, jsonBodies: readonly string[] = []): LeadFields {
  const sources = [
    ...jsonBodies.map((json) => () => jsonPairs(json)),
    () => jsonPairs(text),
    () => (html ? htmlTablePairs(html) : []),
    () => textPairs(text.slice(0, maxFormTextLength)),
  ];
  for (const pairsOf of sources) {
    const fields = fieldsFromPairs(pairsOf());
    if (looksLikeAForm(fields)) return fields;
  }
  return {};
}

/** A JSON body is at most this long; a longer one is not a form. */
const maxJsonLength = 512 * 1024;
/** Form mail is short: only the start of a long text is read for "Label: Value" lines. */
const maxFormTextLength = 512 * 1024;

function jsonPairs(text: string): Array<readonly [string, string]> {
  const body = text.trim();
  if (!body.startsWith('{') || !body.endsWith('}') || body.length > maxJsonLength) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return [];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
  return Object.entries(parsed).flatMap(([key, value]) =>
    typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? [[key, String(value)] as const] : [],
  );
}

// "Label: value"; a label is short, and a quoted line ("> Name: …", RFC 3676 §4.5) is someone else's text.
const labelLine = /^\s*([^:>\n][^:\n]{0,59}):[ \t]*(.*)$/;
// RFC 3676 §4.3: "-- " starts the signature, which is not part of the form.
const signatureSeparator = /^-- ?$/;

/**
 * Pairs from "Label: Value" lines. The message may run over the lines that follow it, up to the next label;
 * a label with nothing after it takes the next non-empty line ("Name:\nAnn").
 */
function textPairs(text: string): Array<readonly [string, string]> {
  const pairs: Array<[string, string]> = [];
  let current: [string, string] | null = null;
  for (const line of text.split(/\r?\n/)) {
    if (signatureSeparator.test(line)) break;
    const match = labelLine.exec(line);
    const meaning = match ? meaningOf(match[1]!) : null;
    if (match && meaning) {
      current = [match[1]!, match[2]!];
      pairs.push(current);
    } else if (current && (meaningOf(current[0]) === 'message' || current[1].trim() === '')) {
      current[1] += `\n${line}`;
      if (meaningOf(current[0]) !== 'message' && line.trim() !== '') current = null;
    }
  }
  return pairs;
}

function fieldsFromPairs(pairs: ReadonlyArray<readonly [string, string]>): LeadFields {
  const found: Partial<Record<FieldMeaning, string>> = {};
  for (const [label, raw] of pairs) {
    const meaning = meaningOf(label);
    const value = raw.trim();
    if (meaning && value !== '' && found[meaning] === undefined) found[meaning] = value;
  }
  const name = found.fullName ?? joinName(found.givenName, found.familyName ?? found.nameOrFamilyName);
  const fields: { -readonly [key in keyof LeadFields]: string } = {};
  if (name !== undefined) fields.name = name;
  if (found.email !== undefined) fields.email = found.email;
  if (found.phone !== undefined) fields.phone = found.phone;
  if (found.company !== undefined) fields.company = found.company;
  if (found.message !== undefined) fields.message = found.message;
  return fields;
}

function joinName(given: string | undefined, family: string | undefined): string | undefined {
  const parts = [given, family].filter((part): part is string => part !== undefined);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

function looksLikeAForm(fields: LeadFields): boolean {
  return Object.keys(fields).length >= 2 && (fields.name !== undefined || fields.email !== undefined);
}
