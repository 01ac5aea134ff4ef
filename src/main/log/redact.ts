/**
 * Removes secrets from text before it reaches a log or an error message. Two layers: values the app knows
 * are secret (registered when they pass through), and shapes that are secret whatever their value
 * (bearer tokens, JWTs, token fields, XOAUTH2 strings, passwords in URLs or key=value pairs).
 */
const placeholder = '[redacted]';

/** Each shape keeps its first capture group (the label) and blanks the rest. */
const secretShapes: readonly RegExp[] = [
  /(\b(?:Bearer|Basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /()\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, // a JWT
  /("(?:access_token|refresh_token|id_token|client_secret|password|passwd|secret|code|code_verifier|assertion)"\s*:\s*")[^"]*/gi,
  /(\b(?:access_token|refresh_token|id_token|client_secret|password|passwd|secret|code|code_verifier|assertion)\s*[:=]\s*)[^\s&,;"}]+/gi,
  // eslint-disable-next-line no-control-regex -- XOAUTH2 separates its fields with \x01
  /(auth=Bearer\s*)[^\s\x01]+/gi, // an XOAUTH2 initial response
  /()\bdXNlcj[A-Za-z0-9+/=]{20,}/g, // the same, base64-encoded ("user=…")
  /(\/\/[^\s/:@]+:)[^\s/@]+(?=@)/g, // credentials in a URL
];

export function redact(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    // Very short values would blank out ordinary words; they are not plausible secrets anyway.
    if (secret.length >= 4) out = out.split(secret).join(placeholder);
  }
  for (const shape of secretShapes) {
    out = out.replace(shape, (_match, label: string) => `${label}${placeholder}`);
  }
  return out;
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
