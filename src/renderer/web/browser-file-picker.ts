/**
 * The browser's open-file dialog, for "Attach files…" in `mail-settings ui`: the files chosen, none when
 * the user cancels (the input's `cancel` event, HTML "file upload state"). Browsers open it only in
 * answer to the user's click, so this must be called while that click is being handled.
 */
export function pickFiles(): Promise<File[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.addEventListener('change', () => resolve([...(input.files ?? [])]), { once: true });
    input.addEventListener('cancel', () => resolve([]), { once: true });
    input.click();
  });
}
