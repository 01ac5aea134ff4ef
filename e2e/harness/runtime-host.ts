import type { Channel, EventName, EventPayloads } from '../../src/shared/contract';
import { ErrorCode, fail, type Result } from '../../src/shared/errors';
import { startRuntime, type Runtime } from '../../src/main/node-runtime';
import type { SignInWindowOpener } from '../../src/main/oauth/sign-in-window';
import type { ProviderDefaults } from '../../src/main/oauth/providers/provider-config';
import type { ExternalOpener } from '../../src/main/platform/external-link';
import type { AppServices } from '../../src/main/services';
import type { SecretStore } from '../../src/main/secrets/secret-store';
import { openConfSettings } from '../../src/main/settings/settings-store';

/** An ExternalOpener that remembers what it was asked to open, for assertions, then hands it on (if given). */
export interface RecordingOpener extends ExternalOpener {
  readonly opened: readonly string[];
}

export function createRecordingOpener(next?: ExternalOpener): RecordingOpener {
  const opened: string[] = [];
  return {
    opened,
    open: async (url) => {
      opened.push(url.href);
      await next?.open(url);
    },
  };
}

export type RuntimeEventListener = <E extends EventName>(event: E, payload: EventPayloads[E]) => void;

export interface RuntimeHostOptions {
  readonly dataDir: string;
  /** The OS keychain (keytar) unless given: only a test about keychain failures passes its own. */
  readonly secrets?: SecretStore;
  /** The app's sign-in popup (Electron's BrowserWindow): in the tests, a page of the test browser. */
  readonly popupOpener?: SignInWindowOpener;
  /** The user's browser, after the recording: in the tests, a page of the test browser for sign-ins. */
  readonly externalOpener?: ExternalOpener;
  /** Where the providers are: in the tests, the test bed's identity provider. */
  readonly providerDefaults?: ProviderDefaults;
  readonly signInTimeoutMs?: number;
  /** The background check of signed-in accounts; off unless given (the window checks when focused). */
  readonly accountCheckIntervalMs?: number;
  /** The app's own schedule of the inboxes and its watch for new mail (IDLE); off unless asked. */
  readonly scheduleInboxes?: boolean;
}

/**
 * The app's main-process services, running in the test process on a real data directory: started with
 * `startRuntime` exactly as the app does (conf settings file, keytar keychain). It can be stopped and
 * started again on the same directory, which is what "quit and reopen the app" means for the tests.
 */
export class RuntimeHost {
  readonly opener: RecordingOpener;
  private runtime: Runtime | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly listeners = new Set<RuntimeEventListener>();
  private readonly scripted = new Map<Channel, Result<unknown>>();

  constructor(private readonly options: RuntimeHostOptions) {
    this.opener = createRecordingOpener(options.externalOpener);
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get running(): boolean {
    return this.runtime !== null;
  }

  /** The running services, for what a test checks behind the window (the records database). */
  get services(): AppServices {
    if (!this.runtime) throw new Error('The runtime is not running.');
    return this.runtime.services;
  }

  async start(): Promise<void> {
    if (this.runtime) throw new Error('The runtime is already running.');
    const runtime = await startRuntime({
      dataDir: this.options.dataDir,
      openSettings: openConfSettings,
      externalOpener: this.opener,
      ...(this.options.secrets ? { secrets: this.options.secrets } : {}),
      ...(this.options.popupOpener ? { popupOpener: this.options.popupOpener } : {}),
      ...(this.options.providerDefaults ? { providerDefaults: this.options.providerDefaults } : {}),
      ...(this.options.signInTimeoutMs === undefined ? {} : { signInTimeoutMs: this.options.signInTimeoutMs }),
      accountCheckIntervalMs: this.options.accountCheckIntervalMs ?? 0,
      scheduleInboxes: this.options.scheduleInboxes ?? false,
    });
    this.runtime = runtime;
    this.unsubscribe = runtime.services.events.subscribe((event, payload) => {
      for (const listener of this.listeners) listener(event, payload);
    });
  }

  /**
   * Like quitting the app: no more events, background work stopped, the records database closed, the log on
   * disk, and nothing of this runtime is reused.
   */
  async stop(): Promise<void> {
    const runtime = this.runtime;
    if (!runtime) return;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.runtime = null;
    await runtime.stop();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  /** The real dispatcher: parses the unknown payload with the contract's schema, then runs the handler. */
  async dispatch(channel: string, payload: unknown): Promise<Result<unknown>> {
    const scripted = this.scripted.get(channel as Channel);
    if (scripted !== undefined) {
      this.scripted.delete(channel as Channel);
      return scripted;
    }
    if (!this.runtime) {
      // What a window sees while the app's main process is gone: a failure, never a hang.
      return fail({ code: ErrorCode.Internal, message: 'The Mail Settings services are not running.' });
    }
    return this.runtime.dispatch(channel, payload);
  }

  /**
   * Answers the next call of `channel` with `result` instead of running the services. Only for answers the
   * real services can't be made to give from the window: the form checks input with the same schema as main,
   * so "main refused these fields" only happens when the two disagree (a newer main, a stricter rule).
   */
  answerNextCallWith(channel: Channel, result: Result<unknown>): void {
    this.scripted.set(channel, result);
  }

  /** Events of whichever runtime is running now (and of the next one after a restart). */
  onEvent(listener: RuntimeEventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
