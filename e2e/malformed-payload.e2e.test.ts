import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { channels, contract, type Channel } from '../src/shared/contract';
import type { SendDirectValues } from './harness/send-direct-section';
import { E2eBed, type MailSettingsSession } from './harness/bed';

/**
 * The page is the least trusted part of the app: whatever a script in it sends, main must answer with a
 * readable INVALID_INPUT result, change nothing, and keep working. Every call here goes through
 * `window.mailSettings`, as a compromised or buggy renderer would make it.
 */

const validSettings = {
  serverName: 'smtp.office365.com',
  senderName: 'Legrand Sales Team',
  senderAddress: 'sales@legrand-demo.example',
  userName: 'sales@legrand-demo.example',
  authMethod: 'password',
  port: 587,
  security: 'starttls',
};

/** 1000 times the longest value any field accepts. */
const huge = 'x'.repeat(2_000_000);

/** Sent to every channel: none of these is a request object. */
const notARequest: Readonly<Record<string, unknown>> = {
  'a number': 42,
  null: null,
  'nothing at all': undefined,
  'a boolean': true,
  'an array': [{}],
  'a huge string': huge,
};

/**
 * Built from each channel's own schema, so a channel added to the contract is covered without editing
 * this file: every field of the wrong type, an unexpected key, and a huge value in every field.
 */
function fromSchema(channel: Channel): Record<string, unknown> {
  const schema: z.ZodType = contract[channel].request;
  const fields = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  const every = (value: unknown) => Object.fromEntries(fields.map((field) => [field, value]));
  if (fields.length === 0) return { 'an unexpected key': { unexpected: true }, 'a huge unexpected value': { note: huge } };
  return {
    'every field of the wrong type': every([[42]]),
    'wrong types and an unexpected key': { ...every(false), unexpected: true },
    'a huge value in every field': every(huge),
  };
}

/** Hand-written cases for what each channel means: the right outer shape, wrong inside. */
const byMeaning: Readonly<Partial<Record<Channel, Readonly<Record<string, unknown>>>>> = {
  saveSendDirect: {
    'wrong types': {
      settings: { serverName: 42, senderName: [], senderAddress: null, userName: {}, authMethod: 'telnet', port: 'eighty', security: 1 },
      password: { kind: 'set', value: 7 },
    },
    'an extra key next to valid settings': { settings: validSettings, password: { kind: 'keep' }, plainPassword: 'hunter2' },
    'a huge server name': { settings: { ...validSettings, serverName: huge }, password: { kind: 'keep' } },
    'a huge password': { settings: validSettings, password: { kind: 'set', value: huge } },
    'no password change': { settings: validSettings },
    'an unknown password change': { settings: validSettings, password: { kind: 'reveal' } },
    'settings as a string': { settings: JSON.stringify(validSettings), password: { kind: 'keep' } },
  },
  openExternalLink: {
    'an extra key next to a valid link': { url: 'https://www.legrandcrm.com/', target: '_blank' },
    'a javascript: link': { url: 'javascript:alert(document.cookie)' },
    'a file: link': { url: 'file:///etc/passwd' },
    'a plain http link': { url: 'http://www.legrandcrm.com/' },
    'a link with credentials': { url: 'https://admin:secret@www.legrandcrm.com/' },
  },
};

const cases = channels.flatMap((channel) =>
  Object.entries({ ...notARequest, ...fromSchema(channel), ...byMeaning[channel] }).map(([what, payload]) => ({ channel, what, payload })),
);

/** A sentence for a person: not empty, not a dump, no code or stack in it. */
function isReadable(message: unknown): boolean {
  return (
    typeof message === 'string' &&
    message.length >= 10 &&
    message.length <= 300 &&
    /^[A-Z“"]/.test(message) &&
    !/\[object|ZodError|\n\s+at |^\s*[{[]/.test(message)
  );
}

type MalformedCase = (typeof cases)[number];

let bed: E2eBed;
let session: MailSettingsSession;
/** What main answered each malformed request (or what calling it threw). */
const answers = new Map<MalformedCase, unknown>();
/** The settings, opened links and form just after every malformed request, before anything valid. */
let afterMalformed: { readonly sendDirect: unknown; readonly openedUrls: readonly string[]; readonly form: SendDirectValues };

beforeAll(async () => {
  bed = await E2eBed.start();
  session = await bed.open('malformed-payload');
  await session.app.sendDirect.waitForLoaded();
  // Every malformed request goes to the one window here, before any test: each test then checks its part,
  // alone or in any order, and "keeps working" is always asked after all of them.
  for (const request of cases) {
    answers.set(request, await session.app.callApi(request.channel, request.payload).catch((error: unknown) => ({ threw: String(error) })));
  }
  afterMalformed = {
    sendDirect: await session.app.callApi('getSendDirect', {}),
    openedUrls: [...session.openedUrls],
    form: await session.app.sendDirect.values(),
  };
});

afterAll(async () => {
  const pageErrors = session ? [...session.pageErrors] : [];
  await session?.close();
  await bed?.close();
  expect(pageErrors).toEqual([]);
});

describe('malformed requests from the page', () => {
  it.each(cases)('$channel refuses $what with a readable INVALID_INPUT', (request) => {
    const answer = answers.get(request);

    expect(answer).toEqual({ ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT' }) });
    const { message } = (answer as { error: { message: unknown } }).error;
    expect(isReadable(message), `not readable: ${JSON.stringify(message)?.slice(0, 400)}`).toBe(true);
  });

  it('changed nothing and opened nothing', () => {
    expect(afterMalformed.sendDirect).toEqual({ ok: true, value: { settings: null, passwordStored: false, encryptionTurnedOn: false } });
    expect(afterMalformed.openedUrls).toEqual([]);
    expect(afterMalformed.form).toMatchObject({ serverName: '', senderName: '' });
  });

  it('keeps working: every channel answers a valid request, and the window follows', async () => {
    const status = await session.app.callApi('getAppStatus', {});
    expect(status).toMatchObject({ ok: true, value: { keychain: { available: true }, sendDirect: { configured: false } } });

    const saved = await session.app.callApi('saveSendDirect', { settings: validSettings, password: { kind: 'set', value: 'valid-after-malformed' } });
    expect(saved).toEqual({ ok: true, value: { settings: { ...validSettings, allowInsecureAuth: false }, passwordStored: true, encryptionTurnedOn: false } });
    // The window had no unsaved changes, so it shows what was just saved.
    await expect.poll(async () => (await session.app.sendDirect.values()).serverName).toBe('smtp.office365.com');
    expect((await session.app.sendDirect.password()).placeholder).toContain('stored in the keychain');

    expect(await session.app.callApi('getSendDirect', {})).toEqual({ ok: true, value: { settings: { ...validSettings, allowInsecureAuth: false }, passwordStored: true, encryptionTurnedOn: false } });
    expect(await session.app.callApi('openExternalLink', { url: 'https://www.legrandcrm.com/support' })).toEqual({ ok: true, value: undefined });
    expect(session.openedUrls).toEqual(['https://www.legrandcrm.com/support']);
  });
});
