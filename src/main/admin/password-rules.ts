import { ErrorCode, type AppError } from '../../shared/errors';

/**
 * What an administrator's password must be, said in plain words. Length first (NIST SP 800-63B section
 * 5.1.1.2: at least 8, and a list of known-bad passwords checked; an administrator's gets 12), then the
 * easy guesses a list and a few rules catch. No demands for symbols or mixed case: the same guidance
 * says they make passwords harder to remember, not harder to guess.
 */

export const shortestPassword = 12;

/** The most common passwords of the public breach lists (and the product's own name), lower-case, at 12 characters or more. */
const commonPasswords = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789abc',
  'qwertyuiopasdf',
  'qwertyuiop123',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'qazwsxedcrfv',
  'passwordpassword',
  'password1234',
  'password12345',
  'password123456',
  'iloveyou1234',
  'welcome12345',
  'administrator',
  'administrator1',
  'administrator123',
  'adminadminadmin',
  'letmein12345',
  'changeme1234',
  'mailsettings',
  'mailsettings1',
  'mailsettings123',
  'mail settings',
]);

/** The sentences that say what is wrong with `password`, or none when it will do. */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  const lower = password.toLowerCase();
  const address = email.trim().toLowerCase();
  const namePart = address.split('@')[0] ?? '';
  if ([...password].length < shortestPassword) problems.push(`Use at least ${shortestPassword} characters.`);
  const letters = (text: string): string => text.replace(/[^\p{L}]/gu, '');
  // "anna.smith@…" refuses "AnnaSmith2024!" too: the name part with digits or symbols added is no better.
  if ((address.length > 0 && lower.includes(address)) || (letters(namePart).length >= 3 && letters(lower) === letters(namePart))) {
    problems.push('Don’t use your email address or your name in it.');
  }
  if (password.length > 0 && new Set(lower).size === 1) problems.push('Don’t repeat one character: mix several.');
  if (commonPasswords.has(lower) || commonPasswords.has(lower.replace(/\s+/g, ''))) {
    problems.push('This password is one of the most common ones: choose another.');
  }
  return problems;
}

/** ADMIN_PASSWORD_WEAK with the rules the password breaks, under fieldErrors.password for the form. */
export function weakPassword(problems: readonly string[]): AppError {
  const sentence = problems.join(' ');
  return {
    code: ErrorCode.AdminPasswordWeak,
    message: `This password is too easy to guess. ${sentence}`,
    fix: `Choose a password of at least ${shortestPassword} characters that is not your email address; a few unrelated words make a good one.`,
    fieldErrors: { password: sentence },
  };
}
