import { join, resolve } from 'node:path';

/** Where the harness finds the build and puts what it produces; all relative to the project root. */
export const projectRoot = resolve(import.meta.dirname, '../..');
export const rendererSourceDir = join(projectRoot, 'src/renderer');
export const builtRendererDir = join(projectRoot, 'out/renderer');
export const builtMainEntry = join(projectRoot, 'out/main/index.js');
export const screenshotDir = join(projectRoot, 'test-results/screenshots');
/** Screenshots the README shows. */
export const readmeScreenshotDir = join(projectRoot, 'assets/screenshots');
/** The screenshot at the top of the README. */
export const readmeScreenshot = join(projectRoot, 'assets/screenshots/send-direct.png');
