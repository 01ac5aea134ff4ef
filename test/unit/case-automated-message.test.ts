import { describe, expect, it } from 'vitest';
import { automatedMessageOf } from '../../src/main/inbox/cases/automated-message';
import { readHeaderSection } from '../../src/main/inbox/parse/header-section';

/** The header fields of a message with these header lines (and a From, Subject). */
function fieldsOf(...lines: string[]) {
  return readHeaderSection(Buffer.from([...lines, 'From: someone@example.test', 'Subject: Hello', '', 'Body', ''].join('\r\n'))).fields;
}

describe('auto-replies and reports (RFC 3834, RFC 3464)', () => {
  it('are auto-replies when Auto-Submitted says anything but "no", whatever the case and comments', () => {
    expect(automatedMessageOf(fieldsOf('Auto-Submitted: auto-replied'))).toEqual({ kind: 'autoReply', because: 'Auto-Submitted: auto-replied' });
    expect(automatedMessageOf(fieldsOf('Auto-Submitted: Auto-Generated (nightly report)'))).toEqual({ kind: 'autoReply', because: 'Auto-Submitted: auto-generated' });
    expect(automatedMessageOf(fieldsOf('auto-submitted: auto-notified; owner-email="a@example.test"'))).toEqual({ kind: 'autoReply', because: 'Auto-Submitted: auto-notified' });
  });

  it('are not when Auto-Submitted says "no" (RFC 3834 §5: a person sent it)', () => {
    expect(automatedMessageOf(fieldsOf('Auto-Submitted: no'))).toBeNull();
    expect(automatedMessageOf(fieldsOf('Auto-Submitted: NO (sent by hand)'))).toBeNull();
    expect(automatedMessageOf(fieldsOf())).toBeNull();
  });

  it('are reports when they are multipart/report: delivery status (bounces), read receipts', () => {
    expect(automatedMessageOf(fieldsOf('Content-Type: multipart/report; report-type=delivery-status;', '\tboundary="b1"'))).toEqual({
      kind: 'report', because: 'Content-Type: multipart/report; report-type=delivery-status',
    });
    expect(automatedMessageOf(fieldsOf('Content-Type: Multipart/Report; boundary=x; report-type="disposition-notification"'))).toEqual({
      kind: 'report', because: 'Content-Type: multipart/report; report-type=disposition-notification',
    });
    expect(automatedMessageOf(fieldsOf('Content-Type: multipart/mixed; boundary="b1"'))).toBeNull();
  });

  it('are reports when sent with an empty reverse-path (Return-Path: <>)', () => {
    expect(automatedMessageOf(fieldsOf('Return-Path: <>'))).toEqual({ kind: 'report', because: 'Return-Path: <>' });
    expect(automatedMessageOf(fieldsOf('Return-Path: <someone@example.test>'))).toBeNull();
  });

  it('are auto-replies with X-Autoreply or X-Autorespond, unless they say "no"', () => {
    expect(automatedMessageOf(fieldsOf('X-Autoreply: yes'))).toEqual({ kind: 'autoReply', because: 'X-Autoreply: yes' });
    expect(automatedMessageOf(fieldsOf('X-Autorespond: Vacation'))).toEqual({ kind: 'autoReply', because: 'X-Autorespond: Vacation' });
    expect(automatedMessageOf(fieldsOf('X-Autoreply: no'))).toBeNull();
  });

  it('are automated with Precedence bulk, junk or list, not first-class', () => {
    for (const value of ['bulk', 'junk', 'list', 'Bulk']) {
      expect(automatedMessageOf(fieldsOf(`Precedence: ${value}`)), value).toEqual({ kind: 'autoReply', because: `Precedence: ${value.toLowerCase()}` });
    }
    expect(automatedMessageOf(fieldsOf('Precedence: first-class'))).toBeNull();
  });

  it('name Auto-Submitted first when a message carries several signs', () => {
    expect(automatedMessageOf(fieldsOf('Precedence: bulk', 'X-Autoreply: yes', 'Auto-Submitted: auto-replied'))?.because).toBe('Auto-Submitted: auto-replied');
  });
});
