import type { FilePicker } from '../../src/main/files/file-picker';

/**
 * The open-file dialog of "Attach files…", played by the test: main asks the FilePicker port, as in the app,
 * and gets the files the test chose with `willChoose` (none, like Cancel, unless told).
 */
export class ScriptedFilePicker implements FilePicker {
  private next: readonly string[] = [];
  /** How often the window asked for the dialog. */
  opened = 0;

  /** The files the user picks the next time the dialog opens. */
  willChoose(paths: readonly string[]): void {
    this.next = paths;
  }

  async chooseFiles(): Promise<readonly string[]> {
    this.opened += 1;
    const chosen = this.next;
    this.next = [];
    return chosen;
  }
}
