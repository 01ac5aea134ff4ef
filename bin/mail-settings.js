#!/usr/bin/env node
// The CLI runs the same services as the desktop app, from the build (`npm run build`).
import { runCli } from '../out/main/cli.js';

try {
  process.exitCode = await runCli(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`Mail Settings failed unexpectedly: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 70;
}
