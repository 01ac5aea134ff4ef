import type { Page } from 'playwright-core';

/**
 * The browser's open-file dialog of "Attach files…", played by the test: the next time the window opens it,
 * the files the test chose with `willChoose` are picked, and the page uploads their bytes as it does for a
 * user. Until then the dialog is left to the browser (headless, it is cancelled).
 */
export class BrowserFilePicker {
  constructor(private readonly page: Page) {}

  /** The files the user picks the next time the dialog opens. */
  willChoose(paths: readonly string[]): void {
    this.page.once('filechooser', (chooser) => {
      void chooser.setFiles([...paths]);
    });
  }
}
