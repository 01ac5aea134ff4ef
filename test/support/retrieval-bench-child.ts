/**
 * One measured retrieval for `npm run bench:retrieval`, in a process of its own so that its peak RSS is
 * the run's alone (and the worker thread's, which shares the process). Compiled with the worker entry
 * by retrieval-bench-build.ts, so the worker is found as in the built app. Receives a BenchCommand over
 * Node's IPC, sends BenchFigures back, and exits.
 *   ours: retrieveInWorker, the app's retrieval on its worker thread;
 *   raw:  the durable ceiling: a plain imapflow loop that fetches each message, writes it to a file,
 *         fsyncs it, and only then expunges it.
 */
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ImapFlow } from 'imapflow';
import { retrieveInWorker } from '../../src/main/inbox/retrieval/run-in-worker';
import type { RetrievalRequest } from '../../src/main/inbox/retrieval/retrieval-types';

export interface BenchCommand {
  readonly mode: 'ours' | 'raw';
  readonly request: RetrievalRequest;
  /** raw: where each message's file goes. */
  readonly rawDir: string;
  /** Also report the peak RSS seen until this many messages were retrieved (flatness within a run). */
  readonly earlyMark: number;
}

export interface BenchFigures {
  readonly messages: number;
  readonly bytes: number;
  readonly seconds: number;
  /** CPU time of the whole process (every thread) during the run. */
  readonly cpuSeconds: number;
  /** Sampled every 20 ms during the run (process-wide: the main thread and the worker thread). */
  readonly peakRss: number;
  /** At the peak: anonymous memory (heaps, buffers, SQLite) and file-backed pages (the node binary, ICU data). */
  readonly peakRssAnon: number;
  readonly peakRssFile: number;
  /** The same, until `earlyMark` messages were retrieved. */
  readonly peakRssEarly: number;
  /** Before the run started (modules loaded). */
  readonly baselineRss: number;
  /** This thread's event-loop delay during the run (1 ms resolution, so 1 ms is the floor), in ms. */
  readonly eventLoopDelay: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly error: string | null;
}

const send = (message: unknown): Promise<void> => new Promise((resolve) => process.send?.(message, undefined, undefined, () => resolve()));

async function ours(command: BenchCommand, onMessage: (size: number) => void): Promise<string | null> {
  const result = await retrieveInWorker(command.request, {
    onProgress: (event) => {
      if (event.kind === 'fetched') onMessage(event.size);
    },
  });
  return result.ok ? null : `${result.error.code}: ${result.error.message}`;
}

async function raw(command: BenchCommand, onMessage: (size: number) => void): Promise<string | null> {
  const client = new ImapFlow({ ...command.request.connection, logger: false, disableAutoIdle: true });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.mailboxOpen('INBOX');
    const uids = await client.search({ all: true }, { uid: true });
    if (!Array.isArray(uids)) return 'SEARCH ALL failed';
    for (const uid of uids) {
      const message = await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
      if (!message || !message.source) continue;
      const file = await open(join(command.rawDir, String(uid)), 'w', 0o600);
      await file.writeFile(message.source);
      await file.sync();
      await file.close();
      if (!(await client.messageDelete(String(uid), { uid: true }))) return `expunge of ${uid} refused`;
      onMessage(message.source.length);
    }
    return null;
  } finally {
    await client.logout().catch(() => client.close());
  }
}

const command = (await new Promise((resolve) => process.once('message', resolve))) as BenchCommand;
const baselineRss = process.memoryUsage().rss;
let messages = 0;
let bytes = 0;
let peakRss = baselineRss;
let peakRssEarly = baselineRss;
let peakRssAnon = 0;
let peakRssFile = 0;
/** VmRSS split as Linux reports it (/proc/self/status, in kB). */
const rssParts = (): { anon: number; file: number } => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const kB = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) * 1024;
  return { anon: kB('RssAnon'), file: kB('RssFile') };
};
const sampler = setInterval(() => {
  const rss = process.memoryUsage().rss;
  if (rss > peakRss) {
    peakRss = rss;
    ({ anon: peakRssAnon, file: peakRssFile } = rssParts());
  }
  if (messages <= command.earlyMark) peakRssEarly = peakRss;
}, 20);
const delay = monitorEventLoopDelay({ resolution: 1 });
delay.enable();
const started = performance.now();
const cpuBefore = process.cpuUsage();
const error = await (command.mode === 'ours' ? ours : raw)(command, (size) => {
  messages += 1;
  bytes += size;
});
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
delay.disable();
clearInterval(sampler);
const ms = (ns: number): number => ns / 1e6;
await send({
  messages, bytes, seconds, cpuSeconds, peakRss, peakRssAnon, peakRssFile, peakRssEarly, baselineRss, error,
  eventLoopDelay: { p50: ms(delay.percentile(50)), p99: ms(delay.percentile(99)), max: ms(delay.max) },
} satisfies BenchFigures);
process.disconnect();
