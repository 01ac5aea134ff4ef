/**
 * Removes secrets from text before it reaches a log or an error message. Two layers: values the app knows
 * are secret (registered when they pass through), and shapes that are secret whatever their value
 * (bearer tokens, JWTs, token fields, SASL PLAIN / XOAUTH2 / OAUTHBEARER strings, passwords in URLs or
 * key=value pairs). Structured values are walked by redact-value.ts, which applies this to every string.
 */
export const placeholder = '[redacted]';

/** SASL mechanisms whose argument carries a password or a token, whatever its encoding. */
const credentialMechanisms = 'PLAIN|XOAUTH2|OAUTHBEARER';

/**
 * Shapes that never occur in the app's own sentences, so they are safe to apply to messages shown to the
 * user. Each keeps its first capture group (the label) and blanks the rest.
 */
const unmistakableShapes: readonly RegExp[] = [
  /()\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // a JWT
  // eslint-disable-next-line no-control-regex -- XOAUTH2 and OAUTHBEARER separate their fields with \x01
  /(auth=Bearer\s*)[^\s\x01]+/gi, // an XOAUTH2 / OAUTHBEARER initial response, decoded
  // The start of base64 XOAUTH2 / OAUTHBEARER strings, for one cut short (a message trimmed to a length)
  // that no longer decodes whole. "user=" encodes as "dXNlcj" and then 0-3: the 7th character holds the
  // low bits of "=" and the top two bits of the user name's first byte (letters give "1", digits "0",
  // UTF-8 lead bytes "3"), so "dXNlcj0" alone would miss most users. "n,a=" encodes as "bixhP", "n,,^Aa"
  // as "biwsAW".
  /()\bdXNlcj[0-3][A-Za-z0-9+/=]*/g,
  /()\bbi(?:xhP|wsAW)[A-Za-z0-9+/=]*/g,
  // Credentials in a URL; not a password already shown as *** (postgres-url.ts) or a fix's USER:PASSWORD@ pattern.
  /(\/\/[^\s/:@]+:)(?!(?:\*\*\*|PASSWORD)@)[^\s/@]+(?=@)/g,
];

/**
 * Shapes of secrets in machine text (headers, form bodies, JSON, key=value logs). Not applied to the app's
 * own sentences, where they would also match prose: "basic authentication", "enter it as the password: …",
 * "AUTH PLAIN command".
 */
const fieldShapes: readonly RegExp[] = [
  // SMTP `AUTH PLAIN <base64>` (RFC 4954 §4) and IMAP `AUTHENTICATE PLAIN <base64>` (RFC 9051 §6.2.2,
  // with SASL-IR, RFC 4959): the argument is the credential, whatever it decodes to.
  new RegExp(`(\\bAUTH(?:ENTICATE)?\\s+(?:${credentialMechanisms})\\s+)[^\\s"]+`, 'gi'),
  /(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /("(?:access_token|refresh_token|id_token|client_secret|password|passwd|secret|code|code_verifier|assertion)"\s*:\s*")[^"]*/gi,
  /(\b(?:access_token|refresh_token|id_token|client_secret|password|passwd|secret|code|code_verifier|assertion)\s*[:=]\s*)[^\s&,;"}]+/gi,
];

function applyShapes(text: string, shapes: readonly RegExp[]): string {
  return shapes.reduce((out, shape) => out.replace(shape, (_match, label: string) => `${label}${placeholder}`), text);
}

/** A run of base64 characters standing alone (not part of a longer word), at least one 3-byte group. */
const base64Token = /(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{4,}={0,2}(?![A-Za-z0-9+/=])/g;

/**
 * Whether decoded SASL bytes are a credential. Checked on the decoded bytes, so the rule holds whatever
 * the user name, and however the base64 is aligned or prefixed in a transcript line:
 * - PLAIN (RFC 4616 §2): `[authzid] NUL authcid NUL passwd`;
 * - XOAUTH2 (Google's and Microsoft's SASL XOAUTH2): `user=… ^A auth=Bearer … ^A ^A`;
 * - OAUTHBEARER (RFC 7628 §3.1): a GS2 header (`n,a=…,` or `n,,`, `y,,`, `p=…,`) then `^A`-separated
 *   key=value pairs, one of them `auth=Bearer …`.
 */
function isEncodedCredential(decoded: string): boolean {
  // PLAIN separates its fields with NUL.
  if (/^[^\0]*\0[^\0]+\0[^\0]+$/.test(decoded)) return true;
  // eslint-disable-next-line no-control-regex -- XOAUTH2 separates its fields with \x01
  if (/^user=[^\x01]*\x01auth=/i.test(decoded)) return true;
  // eslint-disable-next-line no-control-regex -- OAUTHBEARER separates its fields with \x01
  return /^(?:n|y|p=[^,]*),(?:a=[^,]*)?,\x01/.test(decoded) && /\x01auth=/i.test(decoded);
}

function redactEncodedCredentials(text: string): string {
  return text.replace(base64Token, (token) => (isEncodedCredential(Buffer.from(token, 'base64').toString('latin1')) ? placeholder : token));
}

/**
 * The forms a known secret takes in text: as it is, base64 (an SMTP `AUTH LOGIN` password line is exactly
 * that, RFC 4954 §4 with the LOGIN mechanism), percent-encoded (a form body) and JSON-escaped (a quoted
 * response body).
 */
function formsOf(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  return [...new Set([secret, base64, base64.replace(/=+$/, ''), encodeURIComponent(secret), JSON.stringify(secret).slice(1, -1)])];
}

/**
 * For a message a person reads (an error crossing IPC, the CLI's output): every known secret in any of its
 * forms, encoded SASL credentials, and the shapes that never occur in prose.
 */
export function redactMessage(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    // Very short values would blank out ordinary words; they are not plausible secrets anyway.
    if (secret.length < 4) continue;
    for (const form of formsOf(secret)) if (form.length >= 4) out = out.split(form).join(placeholder);
  }
  return applyShapes(redactEncodedCredentials(out), unmistakableShapes);
}

/** For machine text (a log entry's strings, a server's or a library's words): all of the above, and field shapes. */
export function redact(text: string, knownSecrets: Iterable<string> = []): string {
  return applyShapes(redactMessage(text, knownSecrets), fieldShapes);
}

/** Secrets seen by this process, so that their values can be blanked wherever they show up. */
export class SecretRegistry {
  readonly #values = new Set<string>();
  remember(secret: string | null | undefined): void {
    if (secret) this.#values.add(secret);
  }
  values(): Iterable<string> {
    return this.#values;
  }
}
