import addressparser from 'nodemailer/lib/addressparser';
import type { AliasTarget } from '../../shared/integration';
import { readHeaderSection, type HeaderField } from '../inbox/parse/header-section';
import type { MessageTarget } from '../records/inbox-records';

/**
 * How an integration mailbox's messages are routed (issue 15): its aliases by address, and its own default
 * alias for mail no alias names. Plain data: it crosses into the retrieval worker thread with the request.
 */
export interface AliasRouting {
  readonly aliases: ReadonlyArray<{ readonly address: string; readonly target: AliasTarget }>;
  /** The mailbox's own default alias: where mail goes that is addressed to no alias. */
  readonly fallback: AliasTarget;
}

/**
 * The addresses a message was delivered to, in the order they are tried: Delivered-To first (what the
 * receiving server recorded, RFC 9228), then To, then Cc (RFC 5322 3.6.3), lower-cased (addresses are
 * compared case-insensitively here, as the form keeps them).
 */
export function recipientsOf(fields: readonly HeaderField[]): string[] {
  const of = (name: string): string[] =>
    fields
      .filter((field) => field.name === name)
      .flatMap((field) => addressparser(field.value, { flatten: true }))
      .map((parsed) => parsed.address.trim().toLowerCase())
      .filter((address) => address.includes('@'));
  return [...of('delivered-to'), ...of('to'), ...of('cc')];
}

/**
 * The record target of one message: the first recipient that is exactly an alias's address decides
 * (`sales+web@` matches only an alias for sales+web@, never one for sales@); none → the default alias.
 */
export function routeMessage(routing: AliasRouting, raw: Uint8Array): MessageTarget {
  const header = readHeaderSection(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  const byAddress = new Map(routing.aliases.map((alias) => [alias.address.toLowerCase(), alias.target]));
  for (const recipient of recipientsOf(header.fields)) {
    const target = byAddress.get(recipient);
    if (target) return messageTargetOf(target);
  }
  return messageTargetOf(routing.fallback);
}

export function messageTargetOf(target: AliasTarget): MessageTarget {
  return target.kind === 'lead'
    ? { kind: 'lead', activityType: target.activityType, owner: target.owner === '' ? null : target.owner }
    : { kind: 'serviceDesk', queue: target.queue, acknowledgeNewCases: false };
}
