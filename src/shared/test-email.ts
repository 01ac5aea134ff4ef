import { z } from 'zod';
import { isValidEmail } from './send-direct';

/** A message sent from Send Direct: recipients, subject, HTML (local images are embedded), attachments. */
export const testEmailSchema = z
  .object({
    to: z
      .array(z.string().trim().refine(isValidEmail, 'Each recipient must be an email address like name@example.com.'), { error: 'Enter at least one recipient.' })
      .min(1, 'Enter at least one recipient.')
      .max(100, 'Send to at most 100 recipients at once.'),
    subject: z.string().trim().min(1, 'Enter a subject.').max(998, 'The subject is too long.'),
    html: z.string().min(1, 'Write the message.').max(5_000_000, 'The message is too long.'),
    attachments: z.array(z.string().min(1).max(4096)).max(20, 'Attach at most 20 files.').default([]),
    activityNote: z.boolean().default(false),
  })
  .strict();

export type TestEmailInput = z.input<typeof testEmailSchema>;

export interface SentEmail {
  readonly messageId: string;
  readonly inlineImages: number;
  readonly activityNoteId: number | null;
}
