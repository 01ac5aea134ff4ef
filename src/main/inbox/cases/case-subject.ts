/**
 * The `[Case #123]` tag a Service Desk case carries in its subject, and the reply/forward prefixes mailers put
 * before a subject. The tag is looked for anywhere in the subject, whatever its letter case, so it survives
 * any prefix (Re:, Fwd:, AW:, WG:, SV:, RE[2]: …) and a subject the customer rewrote around it.
 */

/** `[Case #123]`, `[case #123]`, `[ Case # 123 ]`: the number is the case's id. */
const caseTag = /\[\s*case\s*#\s*(\d{1,15})\s*\]/i;

/** The case number of the first `[Case #n]` tag in the subject, or null when there is none. */
export function caseNumberInSubject(subject: string): number | null {
  const match = caseTag.exec(subject);
  if (!match) return null;
  const caseId = Number(match[1]);
  return Number.isSafeInteger(caseId) && caseId > 0 ? caseId : null;
}

/**
 * Prefixes that mean "reply" or "forward" in the mailers customers use: English (Re, Fwd, Fw), German
 * (AW, WG), Nordic (SV, VS, VB), French (TR, RE), Dutch (Antw, Doorst), Italian (R, I, Rif), Spanish
 * (RV), Polish (Odp, PD), plus Outlook's counted form `RE[2]:` and the `Re^2:` some mailers write.
 */
const replyPrefix = /^\s*(?:re|fwd?|aw|wg|sv|vs|vb|tr|antw|doorst|rif|rv|odp|pd)\s*(?:\[\d+\]|\^\d+|\(\d+\))?\s*[:：]\s*/i;

/** The subject without its leading reply and forward prefixes: "AW: Re[2]: Fwd: Printer" → "Printer". */
export function subjectWithoutReplyPrefixes(subject: string): string {
  let rest = subject;
  for (let match = replyPrefix.exec(rest); match; match = replyPrefix.exec(rest)) rest = rest.slice(match[0].length);
  return rest.trim();
}
