import { randomBytes } from 'node:crypto';
import { posix, win32 } from 'node:path';
import { ErrorCode, fail, ok, type Result } from '../../shared/errors';
import type { ChosenAttachment } from '../../shared/test-email';
import type { FilePicker } from './file-picker';
import { classifyLocalPath, type PathPlatform } from './local-path';
import { notAttached, refusalError } from './refused-file';
import { FileProblemError, regularFileSize } from './regular-file';
import { fileSizeLimit } from './size-limits';

/** A file to attach, in main: where it is, and the name the recipient sees. */
export interface LocalAttachment {
  readonly path: string;
  readonly name: string;
}

export interface ChosenAttachmentsDeps {
  /** The app's open-file dialog; null where there is none (the CLI takes paths from its command line). */
  readonly filePicker: FilePicker | null;
  readonly platform: PathPlatform;
}

/**
 * "Attach files…": the user picks files in main's dialog, main checks them (a regular file on this computer,
 * at most 10 MB; sending checks again, with the message's total) and hands the renderer an opaque handle per
 * file. `sendTestEmail` then takes handles only, so a script in the renderer cannot make main attach a file
 * the user did not choose. The handles last as long as the process.
 */
export function createChosenAttachments(deps: ChosenAttachmentsDeps) {
  const byHandle = new Map<string, LocalAttachment & { readonly size: number }>();
  const handleByPath = new Map<string, string>();
  const paths = deps.platform === 'win32' ? win32 : posix;

  async function check(path: string): Promise<Result<{ path: string; size: number }>> {
    const kind = classifyLocalPath(path, deps.platform);
    if (kind.kind === 'refused') return fail(refusalError(path, kind.reason, notAttached));
    let size: number;
    try {
      size = await regularFileSize(kind.path);
    } catch (error) {
      if (error instanceof FileProblemError) return fail(refusalError(path, error.problem, notAttached));
      throw error;
    }
    if (size > fileSizeLimit) return fail(refusalError(path, 'too-large', notAttached));
    return ok({ path: kind.path, size });
  }

  /**
   * Files the user chose, checked and given handles: from main's dialog, or uploaded from the browser's own
   * file picker (`mail-settings ui`, which has no dialog). Answers the first one refused, if any.
   */
  async function adopt(chosen: readonly string[]): Promise<Result<ChosenAttachment[]>> {
    const checked: { path: string; size: number }[] = [];
    for (const path of chosen) {
      const file = await check(path);
      if (!file.ok) return file;
      checked.push(file.value);
    }
    return ok(
      checked.map(({ path, size }) => {
        // The same file chosen twice keeps its handle, so the renderer lists it once.
        const handle = handleByPath.get(path) ?? randomBytes(16).toString('hex');
        const name = paths.basename(path);
        handleByPath.set(path, handle);
        byHandle.set(handle, { path, name, size });
        return { handle, name, size };
      }),
    );
  }

  return {
    /** Opens the dialog; answers the chosen files (none if cancelled), or the first one refused. */
    async choose(): Promise<Result<ChosenAttachment[]>> {
      if (!deps.filePicker) {
        return fail({ code: ErrorCode.InvalidInput, message: 'Files can only be attached in the Mail Settings window.', fix: 'With the command line, use --attach.' });
      }
      return adopt(await deps.filePicker.chooseFiles());
    },

    adopt,

    /** The files behind handles the renderer sent; a handle main never gave out is refused. */
    resolve(handles: readonly string[]): Result<LocalAttachment[]> {
      const files: LocalAttachment[] = [];
      for (const handle of handles) {
        const file = byHandle.get(handle);
        if (!file) {
          return fail({ code: ErrorCode.InvalidInput, message: 'An attachment of this message is no longer known to Mail Settings.', fix: 'Remove the attachments and choose them again with “Attach files…”.' });
        }
        files.push({ path: file.path, name: file.name });
      }
      return ok(files);
    },
  };
}

export type ChosenAttachments = ReturnType<typeof createChosenAttachments>;
