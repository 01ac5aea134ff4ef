/**
 * The port through which main asks the user for files: the app's native open-file dialog (Electron), or in
 * the e2e tests the files a test chose. The paths it answers are the user's choice, not the renderer's.
 */
export interface FilePicker {
  /** The chosen files' paths; none when the user cancelled. */
  chooseFiles(): Promise<readonly string[]>;
}
