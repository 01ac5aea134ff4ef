import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { E2eBed, type BedOptions, type MailSettingsSession, type OpenOptions } from './bed';

export interface MailSettingsWindows {
  /** Opens a Mail Settings window on fresh services and waits until Send Direct is loaded. */
  open(name: string, options?: OpenOptions): Promise<MailSettingsSession>;
  /** Opens a window without waiting for Send Direct (for tests of a failing load). */
  openRaw(name: string, options?: OpenOptions): Promise<MailSettingsSession>;
  /** Every data dir of the file so far (with keepDataDirs), for the token scans. */
  dataDirs(): readonly string[];
}

/**
 * The hooks every e2e file needs: one browser for the file, one window per test, closed after it, and
 * the test failed if the page threw or violated the CSP, even when the screen looked fine.
 */
export function useMailSettingsWindows(options: BedOptions = {}): MailSettingsWindows {
  let bed: E2eBed | undefined;
  let session: MailSettingsSession | undefined;
  const started = (): E2eBed => {
    if (!bed) throw new Error('The e2e bed is not started (use the windows inside tests).');
    return bed;
  };

  beforeAll(async () => {
    bed = await E2eBed.start(options);
  });
  afterAll(async () => {
    await bed?.close();
  });
  afterEach(async () => {
    const finished = session;
    session = undefined;
    if (!finished) return;
    const pageErrors = [...finished.pageErrors];
    await finished.close();
    expect(pageErrors).toEqual([]);
  });

  const openRaw = async (name: string, openOptions: OpenOptions = {}): Promise<MailSettingsSession> => {
    session = await started().open(name, openOptions);
    return session;
  };
  return {
    openRaw,
    open: async (name, openOptions) => {
      const opened = await openRaw(name, openOptions);
      await opened.app.sendDirect.waitForLoaded();
      return opened;
    },
    dataDirs: () => started().dataDirs,
  };
}
