import { webUiPaths, type WebUiEventLine } from '../../shared/web-ui';

/** Waits between reconnections: from half a second, doubling up to ten. */
const firstRetryMs = 500;
const lastRetryMs = 10_000;

/**
 * Follows the server's events (NDJSON, one event per line) for as long as the page lives, and reconnects
 * when the stream drops. Resolves once the first attempt is over (subscribed, or failed), so that a call
 * made after it cannot miss the events it causes. A 401 means this launch is over (the server was
 * restarted, with a new secret): it stops trying, and calls say that the window must be opened again.
 */
export function followEvents(headers: Readonly<Record<string, string>>, deliver: (line: WebUiEventLine) => void): Promise<void> {
  let firstAttemptOver = (): void => undefined;
  const subscribed = new Promise<void>((resolve) => {
    firstAttemptOver = resolve;
  });
  void (async () => {
    let retryMs = firstRetryMs;
    for (;;) {
      let status = 0;
      try {
        const response = await fetch(webUiPaths.events, { method: 'POST', headers, body: '{}', cache: 'no-store', credentials: 'omit', redirect: 'error' });
        status = response.status;
        if (response.ok && response.body) {
          firstAttemptOver();
          retryMs = firstRetryMs;
          await readLines(response.body, (line) => deliver(JSON.parse(line) as WebUiEventLine));
        }
      } catch {
        // Dropped (the server stopped, the computer slept): try again below.
      }
      firstAttemptOver();
      if (status === 401) return;
      await new Promise((resolve) => setTimeout(resolve, retryMs));
      retryMs = Math.min(retryMs * 2, lastRetryMs);
    }
  })();
  return subscribed;
}

async function readLines(body: ReadableStream<Uint8Array>, onLine: (line: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += decoder.decode(value, { stream: true });
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      if (line.trim() !== '') onLine(line);
    }
  }
}
