/**
 * A retrieval in a process of its own, for tests that SIGKILL it at chosen points (see
 * retrieval-child.ts). Talks to its parent over Node's IPC channel: it receives `{ request, lockstep }`
 * (so no password is on the command line), sends `{ progress }` for each event and `{ result }` at the
 * end. In lockstep, it waits after each event until the parent answers `'continue'`: a parent that
 * kills it instead kills it exactly there (after a commit and before the expunge, say).
 */
import type { RetrievalRequest } from '../../src/main/inbox/retrieval/retrieval-types';
import { runRetrieval } from '../../src/main/inbox/retrieval/run-retrieval';

interface ChildCommand {
  readonly request: RetrievalRequest;
  readonly lockstep: boolean;
}

const send = (message: unknown): Promise<void> => new Promise((resolve) => process.send?.(message, undefined, undefined, () => resolve()));
const nextMessage = (): Promise<unknown> => new Promise((resolve) => process.once('message', resolve));

const { request, lockstep } = (await nextMessage()) as ChildCommand;
const result = await runRetrieval({
  ...request,
  onProgress: async (progress) => {
    await send({ progress });
    if (lockstep) await nextMessage();
  },
});
await send({ result });
process.disconnect();
