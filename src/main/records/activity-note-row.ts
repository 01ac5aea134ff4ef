import type { ActivityNote } from './records-store';

/** A row of activity_notes joined with its type's name, as the port returns it (both adapters). */
export function activityNoteOf(row: Record<string, unknown>): ActivityNote {
  return {
    id: Number(row['id']),
    type: String(row['type']),
    subject: String(row['subject']),
    from: String(row['from_address']),
    to: JSON.parse(String(row['to_addresses'])) as string[],
    occurredAt: String(row['occurred_at']),
    bodyHtml: String(row['body_html']),
    rawMessage: (row['raw_message'] as Uint8Array | null) ?? null,
  };
}
