import { createHash } from 'node:crypto';
import type { ImapFlow } from 'imapflow';
import { ErrorCode, fail, ok, type Result } from '../../../shared/errors';
import { routeMessage } from '../../integration/alias-routing';
import type { MailboxLocation, RecordTarget, RetrievedMessage, StoreBatchOptions, StoreOutcome } from '../../records/inbox-records';
import { retrievalTimeouts } from '../imap-client-options';
import { imapErrorOf, type ImapErrorContext } from '../imap-errors';
import { throttledError } from '../server-throttling';
import type { InboxId, ParsedInbound } from '../inbound-message';
import { accountKeyOf } from './account-key';
import type { RetrievalSource } from './retrieval-source';
import { removalTargetOf, removeStored } from './remove-stored';
import { planBatches, type ListedMessage } from './plan-batches';
import { fetchOrQuarantine } from './fetch-or-quarantine';
import { quarantineGate, defaultMaxMessageBytes, type QuarantineGate } from './quarantine-gate';
import { runSelectionFor } from './keep-on-server';
import { releaseBatchMemory } from './release-batch-memory';
import { throttleStop } from './throttle-stop';
import { acquireRetrievalLock } from './retrieval-lock';
import { LeaseLost, mailboxKeyOf, takeMailboxLease, type KeptLease } from './mailbox-lease-keeper';
import { RecordsUnavailable, withRecordsGuarded } from './records-unavailable';
import type { RetrievalDependencies, RetrievalRequest, RetrievalSummary } from './retrieval-types';
import { anotherProgramWarning, expungeDeferredWarning, gmailArchivedWarning } from './retrieval-warnings';
import { uidSet } from './uid-set';

const defaultBatchMessages = 50;
/**
 * What a batch holds until its commit. 8 MB rather than 16: the same time in `npm run bench:retrieval`
 * (the commit's fsync is not what a run waits on), and about 6 MiB less peak memory.
 */
const defaultBatchBytes = 8 * 1024 * 1024;
const logoutTimeoutMs = 5_000;

/**
 * Empties one inbox's mailbox into records, so that nothing is ever lost or doubled:
 *   list (UID, flags, size) → per batch: fetch the raw bytes (BODY.PEEK[], so \Seen is never set and never
 *   consulted) → parse → keep raw + parsed + record in ONE transaction → only after COMMIT, remove exactly
 *   those UIDs from the server (see expungeStored).
 * A kill before a commit leaves the batch on the server (fetched again next run); a kill between commit
 * and expunge leaves messages the records already have, which the next run recognises by (account,
 * mailbox, UIDVALIDITY, UID) or, after a UIDVALIDITY change, by Message-ID + sha256 of the bytes, and
 * only removes. One run per inbox at a time (a lock file), and on records shared by several installations
 * one per mailbox across them (a lease in the database, mailbox-lease-keeper.ts); the records' own unique
 * keys make even overlapping runs double nothing. The records database going away mid-run (PostgreSQL
 * restarted) ends the run with DATABASE_UNAVAILABLE before anything it did not commit is removed.
 */
export async function retrieveInbox(request: RetrievalRequest, given: RetrievalDependencies): Promise<Result<RetrievalSummary>> {
  const deps = withRecordsGuarded(given);
  try {
    return await retrieveChecked(request, deps);
  } catch (error) {
    if (error instanceof RecordsUnavailable) return fail(error.appError);
    throw error;
  }
}

async function retrieveChecked(request: RetrievalRequest, deps: RetrievalDependencies): Promise<Result<RetrievalSummary>> {
  if (request.routing === undefined && request.inbox === 'lead' && !(await deps.records.hasActivityType(request.leadActivityType))) {
    return fail({ code: ErrorCode.InvalidInput, message: `There is no activity type “${request.leadActivityType}”.`, fix: 'Choose an activity type under RECORD CREATION.' });
  }
  // An integration mailbox: every alias's activity type must exist before anything is fetched.
  const routedTargets = request.routing ? [request.routing.fallback, ...request.routing.aliases.map((alias) => alias.target)] : [];
  let missingType: (typeof routedTargets)[number] | undefined;
  for (const target of routedTargets) {
    if (target.kind === 'lead' && !(await deps.records.hasActivityType(target.activityType))) {
      missingType = target;
      break;
    }
  }
  if (missingType?.kind === 'lead') {
    return fail({ code: ErrorCode.InvalidInput, message: `There is no activity type “${missingType.activityType}”.`, fix: 'Choose an existing activity type for the aliases of this mailbox (System Admin › Email Integration).' });
  }
  const attempt = await acquireRetrievalLock(request.dataDir, request.inbox, { now: deps.now, ...(deps.lockStaleAfterMs === undefined ? {} : { staleAfterMs: deps.lockStaleAfterMs }) });
  if (!attempt.acquired) {
    const since = attempt.holder ? ` (since ${attempt.holder.startedAt}, process ${attempt.holder.pid} on ${attempt.holder.host})` : '';
    return fail({
      code: ErrorCode.RetrievalInProgress,
      message: `This inbox is already being emptied by another run${since}.`,
      fix: 'Wait for that run to finish; this one did nothing. If no run is going on, the lock is released on its own within minutes.',
    });
  }
  try {
    if (!deps.leases) return await runLocked(request, deps, null);
    const auth = request.connection.auth ?? { user: '' };
    const mailboxKey = mailboxKeyOf(request.connection.host ?? '', auth.user, request.mailbox ?? 'INBOX');
    const taking = await takeMailboxLease(deps.leases, mailboxKey, request.dataDir, deps.leaseTtlMs);
    if (!taking.taken) return fail(taking.error);
    try {
      return await runLocked(request, deps, taking.kept);
    } finally {
      await taking.kept.release();
    }
  } finally {
    await attempt.lock.release();
  }
}

/** `lease`: the mailbox's lease on shared records, confirmed before every removal; null on one's own records. */
async function runLocked(request: RetrievalRequest, deps: RetrievalDependencies, lease: KeptLease | null): Promise<Result<RetrievalSummary>> {
  const { connection } = request;
  const auth = connection.auth ?? { user: '' };
  const context: { -readonly [K in keyof ImapErrorContext]: ImapErrorContext[K] } = {
    host: connection.host ?? '',
    port: connection.port ?? (connection.secure ? 993 : 143),
    // SSL/TLS from the first byte, STARTTLS (imapflow upgrades unless told not to), or none.
    security: connection.secure === true ? 'tls' : connection.doSTARTTLS === false ? 'none' : 'starttls',
    authMethod: 'accessToken' in auth && auth.accessToken ? 'token' : 'password',
    phase: 'connect',
  };
  // Logging off unless the caller brings a logger (imapflow's default logs to stdout); bounded waits
  // unless the caller sets its own (a dead server must end the run); no IDLE between our own
  // back-to-back commands.
  // A throttling server ends the session at once rather than holding the run (throttle-stop.ts).
  const throttle = throttleStop(connection.logger, () => client.close());
  const client = deps.createClient({ ...retrievalTimeouts, ...connection, logger: throttle.logger, disableAutoIdle: true });
  // imapflow reports socket trouble as an 'error' event too; the failing command rejects with it.
  client.on('error', () => undefined);
  try {
    await client.connect();
    context.phase = 'open';
    const mailboxName = request.mailbox ?? 'INBOX';
    const mailbox = await client.mailboxOpen(mailboxName);
    context.phase = 'retrieve';
    const location: MailboxLocation = {
      inbox: request.inbox,
      accountKey: accountKeyOf(context.host, auth.user),
      mailbox: mailboxName,
      uidValidity: Number(mailbox.uidValidity),
    };
    return ok(await emptyMailbox(client, request, deps, location, { exists: mailbox.exists, uidNext: mailbox.uidNext }, lease));
  } catch (error) {
    // The records' failures first: the mail server did nothing wrong.
    if (error instanceof RecordsUnavailable || error instanceof LeaseLost) return fail(error.appError);
    // The socket's close may be processed just after the failing command's answer: let it arrive first.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const throttledMs = throttle.suggestedMs();
    if (throttledMs !== null) return fail(throttledError(context.host, throttledMs));
    return fail(imapErrorOf(error, { ...context, connectionDropped: !client.usable, mailbox: request.mailbox ?? 'INBOX' }));
  } finally {
    await closeClient(client);
  }
}

/** `opened`: what SELECT said (RFC 3501 6.3.1): how many messages, and the UID the next one will get. */
async function emptyMailbox(
  client: ImapFlow,
  request: RetrievalRequest,
  deps: RetrievalDependencies,
  location: MailboxLocation,
  opened: { readonly exists: number; readonly uidNext: number },
  lease: KeptLease | null,
): Promise<RetrievalSummary> {
  // Every expunge the server reports (ours and anyone's); compared at the end with the ones we caused.
  let expungesSeen = 0;
  let expungesCaused = 0;
  client.on('expunge', () => (expungesSeen += 1));
  // Listed UIDs a later FETCH no longer returned.
  let listedThenGone = 0;
  let retrieved = 0;
  let alreadyStored = 0;
  let skippedDeletedByOthers = 0;
  const ours = new Set<number>();
  const awaitingExpunge = new Set<number>();

  // "Leave messages on the server": only what is above the mailbox counter, and nothing removed.
  const selection = await runSelectionFor(request.keepOnServer === true, deps.counters, location, (from, to) => deps.records.storedUids(location, from, to));
  const listed = await selection.wanted(opened.exists > 0 ? await listUids(client) : []);
  const storedBefore = listed.length > 0 ? await deps.records.storedUids(location, listed[0] ?? 0, listed.at(-1) ?? 0) : new Set<number>();
  for (const uid of storedBefore) ours.add(uid);
  const toRetrieve = listed.filter((uid) => !storedBefore.has(uid));
  alreadyStored += storedBefore.size;
  // Kept by an earlier run (before a counter reset): the counter moves past them without fetching them.
  await selection.kept([...storedBefore]);
  await deps.onProgress?.({ kind: 'listed', total: listed.length, alreadyStored: storedBefore.size, uidValidity: location.uidValidity, uidNext: opened.uidNext });
  // Messages that cannot be kept now stay on the server, listed, and never hold up the ones after them.
  const gate = await quarantineGate(deps.quarantine, location, new Set(listed), request.maxMessageBytes ?? defaultMaxMessageBytes, deps.now);

  // Gmail: kept messages go to Trash, where an expunge would only archive them (remove-stored.ts).
  const removal = await removalTargetOf(client);
  const expunge = async (uids: readonly number[]): Promise<void> => {
    if (!selection.removesFromServer) return;
    // Shared records: nothing leaves the server unless this run still holds the mailbox (it stops otherwise).
    if (uids.length > 0) await lease?.confirm();
    for (const uid of uids) awaitingExpunge.add(uid);
    // Without UIDPLUS, messages of earlier batches may still be marked and waiting: a successful plain
    // EXPUNGE takes them too (they are all ours), so they leave awaitingExpunge with it.
    const outcome = await removeStored(client, removal, uids, (uid) => ours.has(uid), {
      onFlagged: (flagged) => deps.onProgress?.({ kind: 'flagged', uids: flagged }),
    });
    expungesCaused += outcome.expunged.length;
    for (const uid of outcome.expunged) awaitingExpunge.delete(uid);
    if (outcome.expunged.length > 0) await deps.onProgress?.({ kind: 'expunged', uids: outcome.expunged });
  };

  // First finish what an earlier run left: messages kept but not yet removed.
  await expunge([...storedBefore]);

  const target = { leadActivityType: request.leadActivityType, acknowledgeNewCases: request.acknowledgeNewCases === true };
  const batchMessages = request.batchMessages ?? defaultBatchMessages;
  const batches = async function* (): AsyncGenerator<ListedMessage[]> {
    // Sizes a window at a time (one short round trip), so batches can be cut by bytes
    // without first listing a whole 10,000-message mailbox message by message.
    for (let start = 0; start < toRetrieve.length; start += batchMessages) {
      const window = toRetrieve.slice(start, start + batchMessages);
      const described = await describeMessages(client, window);
      listedThenGone += window.length - described.length;
      yield* planBatches(await gate.screen(described), batchMessages, request.batchBytes ?? defaultBatchBytes);
    }
  };
  for await (const batch of batches()) {
    // The counter moves in the batch's own transaction: a crash leaves both or neither on disk.
    const { outcomes, fetchedCount } = await keepBatch(client, batch, location, target, request, deps, gate, { raiseCounter: selection.raisesCounter });
    listedThenGone += batch.length - fetchedCount;
    // The batch is on disk and its bytes out of reach: free them now rather than batches later.
    releaseBatchMemory();
    const keptUids = keptUidsOf(outcomes);
    for (const outcome of outcomes) {
      if (outcome.kind === 'notStored') skippedDeletedByOthers += 1;
      else if (outcome.kind === 'stored') retrieved += 1;
      else alreadyStored += 1;
    }
    for (const uid of keptUids) ours.add(uid);
    await gate.kept(keptUids);
    await deps.onProgress?.({ kind: 'committed', uids: keptUids, stored: outcomes.filter((o) => o.kind === 'stored').length, retrievedSoFar: retrieved });
    // Only now, with the batch on disk, may the server copies go.
    await expunge(keptUids);
  }

  // Expunges reported beyond the ones we asked for: another program removed messages meanwhile. The
  // server reports another session's expunges to us too (RFC 3501 7.4.1), usually along with our own
  // EXPUNGE, so a listed message that vanished is mostly seen both ways: the larger count is the estimate.
  const vanished = Math.max(listedThenGone, expungesSeen - expungesCaused);
  const notImported = gate.warning();
  const warnings = [
    ...(notImported ? [notImported] : []),
    ...(vanished > 0 ? [anotherProgramWarning(vanished)] : []),
    ...(awaitingExpunge.size > 0 ? [expungeDeferredWarning(awaitingExpunge.size)] : []),
    ...(removal.kind === 'expunge' && removal.archivesOnly === true && expungesCaused > 0 ? [gmailArchivedWarning(expungesCaused)] : []),
  ];
  return { retrieved, alreadyStored, expunged: expungesCaused, leftForLaterExpunge: awaitingExpunge.size, skippedDeletedByOthers, notImported: gate.notImported(), warnings };
}

/** Every UID in the mailbox, ascending (`UID SEARCH ALL`: one line for the whole mailbox). */
async function listUids(client: ImapFlow): Promise<number[]> {
  const uids = await client.search({ all: true }, { uid: true });
  if (!Array.isArray(uids)) throw new Error('The server did not answer SEARCH ALL');
  return [...uids].sort((a, b) => a - b);
}

/** UID and size of these messages (`UID FETCH … (UID RFC822.SIZE)`); the vanished are missing. */
async function describeMessages(client: ImapFlow, uids: readonly number[]): Promise<ListedMessage[]> {
  const described: ListedMessage[] = [];
  const asked = new Set(uids);
  for await (const message of client.fetch(uidSet(uids), { uid: true, size: true }, { uid: true })) {
    // Only answers about what we asked: another program's STORE makes the server push unsolicited FETCH
    // (FLAGS …) responses (RFC 3501 7.4.2), which may carry no UID and no size.
    if (typeof message.uid !== 'number' || !asked.has(message.uid) || typeof message.size !== 'number') continue;
    described.push({ uid: message.uid, size: message.size });
  }
  return described.sort((a, b) => a.uid - b.uid);
}

/** Fetches a batch and keeps it in ONE transaction; what was fetched is out of reach once this returns. */
async function keepBatch(
  client: ImapFlow,
  batch: readonly ListedMessage[],
  location: MailboxLocation,
  target: RecordTarget,
  request: RetrievalRequest,
  deps: RetrievalDependencies,
  gate: QuarantineGate,
  options: StoreBatchOptions,
): Promise<{ readonly outcomes: StoreOutcome[]; readonly fetchedCount: number }> {
  const { fetched, quarantined } = await fetchOrQuarantine(client, batch, (some) => fetchBatch(client, some, request, deps), gate);
  return { outcomes: await deps.records.storeBatch(location, fetched, target, options), fetchedCount: fetched.length + quarantined };
}

/** The UIDs of a batch that are now in the records (stored now or before). */
function keptUidsOf(outcomes: readonly StoreOutcome[]): number[] {
  return outcomes.flatMap((outcome) => (outcome.kind === 'notStored' ? [] : [outcome.uid]));
}

/**
 * Fetches a batch's raw bytes (imapflow's `source` is BODY.PEEK[], RFC 3501 6.4.5: \Seen is not set).
 * The generator hands over one message at a time and reads the next response only when asked, so a
 * batch never holds more than its planned bytes. A UID listed but not returned has vanished.
 */
async function fetchBatch(client: ImapFlow, batch: readonly ListedMessage[], request: RetrievalRequest, deps: RetrievalDependencies): Promise<RetrievedMessage[]> {
  const fetched: RetrievedMessage[] = [];
  const asked = new Set(batch.map((m) => m.uid));
  for await (const message of client.fetch(uidSet(asked), { uid: true, flags: true, size: true, source: true }, { uid: true })) {
    if (!message.source || !asked.has(message.uid)) continue;
    const raw = message.source;
    // An integration mailbox's message is routed first: a Lead Inbox alias reads its web-form fields.
    const target = request.routing ? routeMessage(request.routing, raw) : undefined;
    const parsed = await parseSafely(raw, target?.kind ?? parseAsOf(request.inbox), deps);
    // A message another program marked \Deleted is only recognised, never imported: it may be about to go.
    fetched.push({
      uid: message.uid, raw, rawSha256: createHash('sha256').update(raw).digest('hex'), parsed,
      storeIfNew: !(message.flags?.has('\\Deleted') ?? false),
      ...(target ? { target } : {}),
    });
    await deps.onProgress?.({ kind: 'fetched', uid: message.uid, size: raw.length });
  }
  return fetched;
}

/** How an inbox's messages are read; an integration mailbox's are read as their alias's target says. */
function parseAsOf(source: RetrievalSource): InboxId {
  return source === 'lead' ? 'lead' : 'serviceDesk';
}

/** parseInbound never throws by contract; a message must not be dropped if a parser ever does. */
async function parseSafely(raw: Buffer, inbox: InboxId, deps: RetrievalDependencies): Promise<ParsedInbound> {
  try {
    return await deps.parse(raw, inbox);
  } catch (error) {
    return {
      messageId: null, subject: '', fromAddress: null, fromName: null, date: null, inReplyTo: [], references: [],
      text: '', html: null, fields: {}, attachments: [], parseError: error instanceof Error ? error.message : String(error),
    };
  }
}

async function closeClient(client: ImapFlow): Promise<void> {
  if (!client.usable) {
    client.close();
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([client.logout(), new Promise((resolve) => (timer = setTimeout(resolve, logoutTimeoutMs)))]);
  } catch {
    // Closing below either way.
  } finally {
    clearTimeout(timer);
    client.close();
  }
}
