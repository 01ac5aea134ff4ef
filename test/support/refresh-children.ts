import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { ValidAccessToken } from '../../src/main/accounts/account-service';
import type { Result } from '../../src/shared/errors';
import type { AccessTokenChildMessage, AccessTokenRequest } from './access-token-child';
import { buildChildScript, type BuiltChildScript } from './build-child-script';

export type { AccessTokenRequest } from './access-token-child';

const root = join(import.meta.dirname, '../..');

/** Compiles test/support/access-token-child.ts once per test file. */
export function buildAccessTokenChild(): Promise<BuiltChildScript> {
  return buildChildScript(join(root, 'test/support/access-token-child.ts'));
}

interface RunningChild {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  readonly done: Promise<Result<ValidAccessToken>>;
  finished: boolean;
}

/**
 * Programs on one data directory asking for a token at the same moment: each in a process of its own,
 * all loaded first, then started together. Each one's first write of the tokens is held until every other
 * one has finished, or `holdWriteMs` has passed: so a program that does not wait for the one refreshing
 * reads the refresh token that one is spending, as surely as timing allows, and one that waits is let
 * through. The hold is a pause, never an assertion.
 */
export async function concurrentAccessTokens(built: BuiltChildScript, requests: readonly AccessTokenRequest[], holdWriteMs: number): Promise<Result<ValidAccessToken>[]> {
  const children: RunningChild[] = requests.map((request) => {
    const child = fork(built.entry, [], { cwd: root, execArgv: ['--no-warnings'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    let markReady: () => void = () => undefined;
    let result: Result<ValidAccessToken> | null = null;
    const running: RunningChild = {
      process: child,
      ready: new Promise<void>((resolve) => (markReady = resolve)),
      done: new Promise<Result<ValidAccessToken>>((resolve, reject) => {
        child.once('error', reject);
        child.once('close', (code, signal) => {
          if (result === null) reject(new Error(`access-token child exited with ${code ?? signal} before answering: ${stderr}`));
          else resolve(result);
        });
      }),
      finished: false,
    };
    child.on('message', (message: AccessTokenChildMessage) => {
      if ('ready' in message) markReady();
      if ('result' in message) {
        result = message.result;
        running.finished = true;
        releaseHeldWrites();
      }
      if ('holdingWrite' in message) holdWrite(running);
    });
    child.send({ request });
    return running;
  });

  const held = new Set<RunningChild>();
  const release = (child: RunningChild): void => {
    if (held.delete(child)) child.process.send('write');
  };
  function releaseHeldWrites(): void {
    for (const child of held) if (children.every((other) => other === child || other.finished)) release(child);
  }
  function holdWrite(child: RunningChild): void {
    held.add(child);
    setTimeout(() => release(child), holdWriteMs);
    releaseHeldWrites();
  }

  await Promise.all(children.map((child) => child.ready));
  for (const child of children) child.process.send('go');
  return Promise.all(children.map((child) => child.done));
}
