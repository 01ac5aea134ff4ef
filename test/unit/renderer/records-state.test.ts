import { describe, expect, it } from 'vitest';
import { bodyViewsOf, initialRecordsState, parsedFieldsOf, recordsReducer, sandboxedHtmlDocument, senderOf } from '../../../src/renderer/inbox/records-state';
import type { InboxRecordDetail } from '../../../src/shared/inbox';

const detail = (id: number, html: string | null = null): InboxRecordDetail => ({
  id,
  inbox: 'lead',
  type: 'Web Lead',
  owner: null,
  queue: null,
  messageId: `m${id}@example.test`,
  subject: `Lead ${id}`,
  fromAddress: 'forms@example.test',
  fromName: 'Web Form',
  date: null,
  retrievedAt: '2026-11-24T10:00:00.000Z',
  fields: { name: 'Ada', email: ' ', company: 'Example' },
  caseId: null,
  caseReference: null,
  threadRole: null,
  matchedBy: null,
  flagged: false,
  automatedBecause: null,
  parseError: null,
  rawSha256: '0'.repeat(64),
  rawSize: 10,
  attachments: [],
  text: 'Name: Ada',
  html,
  inReplyTo: [],
  references: [],
  rawSource: 'Subject: Lead',
  rawSourceTruncated: false,
  caseThread: [],
});

describe('the records view (logic)', () => {
  it('opens a record, and ignores the answer for one the user already left', () => {
    let state = recordsReducer(initialRecordsState, { type: 'openStarted', id: 1 });
    state = recordsReducer(state, { type: 'openStarted', id: 2 });
    expect(recordsReducer(state, { type: 'opened', record: detail(1) }).opened).toEqual({ kind: 'loading', id: 2 });
    state = recordsReducer(state, { type: 'opened', record: detail(2) });
    expect(state.opened).toMatchObject({ kind: 'open', view: 'text', record: { id: 2 } });
    expect(recordsReducer(state, { type: 'chooseView', view: 'source' }).opened).toMatchObject({ view: 'source' });
  });

  it('keeps the records shown when a refresh fails', () => {
    const loaded = recordsReducer(initialRecordsState, { type: 'listLoaded', records: [detail(1)] });
    expect(recordsReducer(loaded, { type: 'listFailed', error: { code: 'INTERNAL', message: 'x' } }).list).toEqual(loaded.list);
    expect(recordsReducer(initialRecordsState, { type: 'listFailed', error: { code: 'INTERNAL', message: 'x' } }).list.kind).toBe('loadFailed');
  });

  it('offers HTML only for a message that has it, lists only the fields that were read, and names the sender', () => {
    expect(bodyViewsOf(detail(1))).toEqual(['text', 'source']);
    expect(bodyViewsOf(detail(1, '<p>Hi</p>'))).toEqual(['text', 'html', 'source']);
    expect(parsedFieldsOf(detail(1).fields)).toEqual([
      { label: 'Name', value: 'Ada' },
      { label: 'Company', value: 'Example' },
    ]);
    expect(senderOf(detail(1))).toBe('Web Form <forms@example.test>');
    expect(senderOf({ fromName: null, fromAddress: null })).toBe('Unknown sender');
  });

  it('puts the policy that forbids anything remote first in the frame’s document, before the message', () => {
    const document = sandboxedHtmlDocument('<img src="https://tracker.example/p.gif">');
    const policy = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: cid:; style-src 'unsafe-inline'">`;
    expect(document.indexOf(policy)).toBeGreaterThan(-1);
    expect(document.indexOf(policy)).toBeLessThan(document.indexOf('tracker.example'));
  });
});
