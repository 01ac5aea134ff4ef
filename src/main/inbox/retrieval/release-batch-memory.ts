import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { isMainThread } from 'node:worker_threads';

/**
 * Called between batches on the retrieval's worker thread: once the thread's Buffers (live and dead) add
 * up to more than `bufferLimit`, a full garbage collection of its heap frees the dead ones.
 *
 * Why: a Buffer's memory lies outside V8's heap and is freed only when a collection finds the Buffer
 * unreferenced, and V8 starts a collection for such memory only once it has grown by 64 MB since the
 * last one (V8's external allocation soft limit, `kExternalAllocationSoftLimit`). A batch leaves about
 * three times its bytes behind (the socket's chunks, the message joined from them, decoded MIME parts),
 * so the thread would carry up to 64 MB of dead Buffers, and the process's resident memory stays at its
 * high-water mark. Measured with `npm run bench:retrieval`, 1,000 messages (186 MiB, 16 MB batches):
 * peak RSS 222 MiB without this; with a limit of 32 MB 190, of 24 MB 183, of 16 MB 181; 10,000 messages
 * (8 MB batches): 189 MiB at 24 MB, 182 at 16. It costs CPU (a forced collection also makes the next minor ones slower):
 * at 16 MB about a quarter more CPU time for a run (1,000 messages: 3.9 → 5.2 s), less in wall time.
 *
 * Never on the main thread (there a collection would pause Electron's windows; the tests run retrievals
 * there). Node has no API for a collection: V8's `--expose-gc` is set at run time (v8.setFlagsFromString)
 * and `gc` taken from a context made after it; should that ever fail, collections stay V8's own choice.
 */
export function releaseBatchMemory(): void {
  if (isMainThread || process.memoryUsage().arrayBuffers < bufferLimit) return;
  collect ??= collector();
  collect();
}

const bufferLimit = 16 * 1024 * 1024;

let collect: (() => void) | undefined;

function collector(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc: unknown = runInNewContext('gc');
    if (typeof gc === 'function') return () => void gc();
  } catch {
    // Collections stay V8's own choice.
  }
  return () => undefined;
}
