import { ErrorCode, type AppError } from '../../shared/errors';
import type { PathRefusal } from './local-path';
import type { FileProblem } from './regular-file';
import { fileSizeLimitMb, messageSizeLimitMb } from './size-limits';

export type FileRefusal = FileProblem | PathRefusal | 'not-image' | 'too-large' | 'message-too-large';

/** A file that keeps the message from being sent: which file, and why, in the user's words. */
export class FileRefusedError extends Error {
  constructor(
    /** As the user wrote it (the `src` of the image, the path given), so they can find it. */
    readonly file: string,
    readonly reason: FileRefusal,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'FileRefusedError';
  }

  get appError(): AppError {
    return refusalError(this.file, this.reason);
  }
}

const notSent = 'so the message was not sent';
export const notAttached = 'so it was not attached';

/** `consequence` ends the message: what did not happen because of the file. */
export function refusalError(file: string, reason: FileRefusal, consequence = notSent): AppError {
  switch (reason) {
    case 'not-found':
      return { code: ErrorCode.AttachmentUnreadable, message: `The file “${file}” could not be found, ${consequence}.`, fix: 'Check the path of the file, or remove it from the message.' };
    case 'unreadable':
      return { code: ErrorCode.AttachmentUnreadable, message: `The file “${file}” could not be read, ${consequence}.`, fix: 'Check that you may open the file, or remove it from the message.' };
    case 'not-regular-file':
      return { code: ErrorCode.AttachmentRefused, message: `“${file}” is not a file (it is a folder, a pipe or a device), ${consequence}.`, fix: 'Choose a file, or remove this one from the message.' };
    case 'device':
      return { code: ErrorCode.AttachmentRefused, message: `“${file}” names a device or a volume of Windows, not a file, ${consequence}.`, fix: 'Use the file’s ordinary path, such as C:\\Pictures\\logo.png.' };
    case 'network':
      return {
        code: ErrorCode.AttachmentRefused,
        message: `The file “${file}” is on another computer (a network path), ${consequence}.`,
        fix: 'Copy the file to this computer and use that copy, or link to the image with an https:// address. Mail Settings does not open network paths: that would sign in to the other computer with your account.',
      };
    case 'not-image':
      return { code: ErrorCode.AttachmentRefused, message: `The file “${file}” is not an image, ${consequence}.`, fix: 'Only PNG, JPEG, GIF, WebP, BMP and SVG images can be embedded with <img>. Check the path, or remove the image.' };
    case 'too-large':
      return { code: ErrorCode.AttachmentRefused, message: `The file “${file}” is larger than ${fileSizeLimitMb} MB, ${consequence}.`, fix: `Use a file of at most ${fileSizeLimitMb} MB (a smaller image, or a link to a shared copy).` };
    case 'message-too-large':
      return {
        code: ErrorCode.MessageTooLarge,
        message: `With the file “${file}” the message would be larger than ${messageSizeLimitMb} MB, ${consequence}.`,
        fix: `Mail servers refuse messages that large: keep the images and attachments together under ${messageSizeLimitMb} MB.`,
      };
    default:
      return reason satisfies never;
  }
}
