/** What every mail failure is matched on: its code (Node's, nodemailer's or imapflow's) and all its text. */
export interface FailureFields {
  readonly code: string;
  /** The codes and messages of the error and its cause, and what the server answered, in one string. */
  readonly text: string;
}

export function textOf(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export function recordOf(value: unknown): Record<string, unknown> {
  return (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
}

/**
 * nodemailer puts the server's reply in `response`; imapflow puts an IMAP tagged response's text in
 * `responseText` and its response code (AUTHENTICATIONFAILED, RFC 5530) in `serverResponseCode`; Node's
 * socket and TLS errors come with a `code`, often wrapped as a `cause`.
 */
export function failureFieldsOf(cause: unknown): FailureFields {
  const record = recordOf(cause);
  const nested = recordOf(record['cause']);
  return {
    code: textOf(record['code']) || textOf(nested['code']),
    text: `${textOf(record['code'])} ${textOf(nested['code'])} ${textOf(record['message'])} ${textOf(record['response'])} ${textOf(nested['message'])} ${textOf(record['reason'])} ${textOf(record['serverResponseCode'])} ${textOf(record['responseText'])}`,
  };
}

/** The server accepted the connection but never greeted (nodemailer's words, imapflow's code). */
export function isGreetingTimeout(failure: FailureFields): boolean {
  return /Greeting never received|GREETING_TIMEOUT/i.test(failure.text);
}
