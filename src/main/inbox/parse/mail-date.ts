/**
 * The Date header (RFC 5322 §3.3, with the obsolete forms of §4.3) as an ISO 8601 string, or null when it
 * cannot be read. Never "now" (what mailparser substitutes) and never "Invalid Date": a date we could not read
 * is no date.
 */

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** RFC 5322 §4.3 obs-zone, in minutes east of UTC. Military letters "SHOULD all be considered equivalent to
 * -0000" because RFC 822 defined their signs backwards, so they and unknown names count as UTC. */
const namedZones: Readonly<Record<string, number>> = {
  ut: 0, utc: 0, gmt: 0, z: 0,
  edt: -4 * 60, est: -5 * 60, cdt: -5 * 60, cst: -6 * 60,
  mdt: -6 * 60, mst: -7 * 60, pdt: -7 * 60, pst: -8 * 60,
};

// [day-of-week ","] day month year hour ":" minute [":" second] [zone]; the day of the week is ignored (a
// wrong one is common and harmless), and so are "-" and "." between the date's parts.
const rfc5322Date =
  /^(?:[a-z]+\s*,?\s*)?(\d{1,2})[\s-]*([a-z]{3})[a-z]*\.?[\s-]*(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\s*([+-])(\d{2}):?(\d{2})|\s*([a-z]{1,5}))?\s*$/i;
// Some web-form generators write ISO 8601 instead.
const isoDate = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

export function parseMailDate(value: string | undefined): string | null {
  if (value === undefined) return null;
  const text = withoutComments(value).replace(/\s+/g, ' ').trim();
  const match = rfc5322Date.exec(text);
  if (match) return fromParts(match);
  if (isoDate.test(text)) return checked(Date.parse(text.replace(' ', 'T')));
  return null;
}

function fromParts(match: RegExpExecArray): string | null {
  const [, day, monthName, yearText, hour, minute, second, sign, zoneHours, zoneMinutes, zoneName] = match;
  const month = months.indexOf(monthName!.toLowerCase());
  if (month < 0) return null;
  const year = fullYear(yearText!);
  const d = Number(day);
  const h = Number(hour);
  const m = Number(minute);
  // RFC 5322 §3.3 allows a leap second (60); JavaScript dates have none.
  const s = Math.min(Number(second ?? 0), 59);
  if (h > 23 || m > 59 || Number(second ?? 0) > 60) return null;
  let offset = 0;
  if (sign !== undefined) {
    if (Number(zoneMinutes) > 59) return null;
    offset = (sign === '-' ? -1 : 1) * (Number(zoneHours) * 60 + Number(zoneMinutes));
  } else if (zoneName !== undefined) {
    offset = namedZones[zoneName.toLowerCase()] ?? 0;
  }
  const utc = Date.UTC(year, month, d, h, m, s);
  // Date.UTC rolls 31 Feb over into March; a day that is not in its month is not a date.
  if (new Date(utc).getUTCDate() !== d) return null;
  return checked(utc - offset * 60_000);
}

/** RFC 5322 §4.3: a two-digit year below 50 is 20xx, otherwise 19xx; a three-digit year adds 1900. */
function fullYear(text: string): number {
  const year = Number(text);
  if (text.length === 2) return year < 50 ? 2000 + year : 1900 + year;
  if (text.length === 3) return 1900 + year;
  return year;
}

/** Within four-digit years, or toISOString writes "+010000-…" (and throws past year 275760). */
function checked(time: number): string | null {
  if (!Number.isFinite(time)) return null;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  return year >= 1000 && year <= 9999 ? date.toISOString() : null;
}

/** Removes RFC 5322 comments: parenthesised, nestable, with backslash escapes (§3.2.2). */
function withoutComments(value: string): string {
  let depth = 0;
  let out = '';
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index];
    if (char === '\\' && depth > 0) index += 1;
    else if (char === '(') depth += 1;
    else if (char === ')' && depth > 0) {
      depth -= 1;
      if (depth === 0) out += ' ';
    } else if (depth === 0) out += char;
  }
  return out;
}
