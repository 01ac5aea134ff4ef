import { z } from 'zod';
import { isValidEmail } from './address-validation';

/**
 * An attachment chosen in main's open-file dialog, as the renderer knows it: an opaque handle (128 random
 * bits, hex) and what to show. The path stays in main: the renderer can neither read nor name a file.
 */
export interface ChosenAttachment {
  readonly handle: string;
  readonly name: string;
  readonly size: number;
}

export const attachmentHandleSchema = z.string().regex(/^[0-9a-f]{32}$/, 'This attachment was not chosen with “Attach files…”.');

/** A message sent from Send Direct: recipients, subject, HTML (local images are embedded), attachments. */
export const testEmailSchema = z
  .object({
    to: z
      .array(z.string().trim().refine(isValidEmail, 'Each recipient must be an email address like name@example.com.'), { error: 'Enter at least one recipient.' })
      .min(1, 'Enter at least one recipient.')
      .max(100, 'Send to at most 100 recipients at once.'),
    subject: z.string().trim().min(1, 'Enter a subject.').max(998, 'The subject is too long.'),
    html: z.string().min(1, 'Write the message.').max(5_000_000, 'The message is too long.'),
    /** Handles from `chooseAttachments`, never paths. */
    attachments: z.array(attachmentHandleSchema).max(20, 'Attach at most 20 files.').default([]),
    activityNote: z.boolean().default(false),
  })
  .strict();

export type TestEmailInput = z.input<typeof testEmailSchema>;

export interface SentEmail {
  readonly messageId: string;
  readonly inlineImages: number;
  readonly activityNoteId: number | null;
}
