import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { readmeScreenshot, readmeScreenshotDir, screenshotDir } from './paths';

/** Writes test-results/screenshots/<name>.png (kept by CI as an artifact) and returns its path. */
export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // What is screenshotted is what the user looks at. (A page behind another one also renders slowly:
  // Chromium throttles its frames, and each step would wait a second for one.)
  await page.bringToFront();
  // A hovered button or a blinking caret would make the same state look different from run to run.
  await page.mouse.move(0, 0);
  // A modal's backdrop covers the window, not the whole scrolled page: capture what the user sees then.
  const modalOpen = await page.locator('dialog[open]').count();
  await page.screenshot({ path, fullPage: modalOpen === 0, animations: 'disabled', caret: 'hide' });
  return path;
}

/**
 * The README's images are refreshed only by `npm run screenshots`: a normal test run writes nothing
 * outside test-results/, so running the tests never leaves the work tree changed.
 */
const publishing = process.env['MAIL_SETTINGS_PUBLISH_SCREENSHOTS'] === '1';

/** Copies a screenshot to assets/screenshots/send-direct.png, the one the README shows. */
export async function publishReadmeScreenshot(path: string): Promise<void> {
  if (!publishing) return;
  await mkdir(dirname(readmeScreenshot), { recursive: true });
  await copyFile(path, readmeScreenshot);
}

/** Copies a screenshot to assets/screenshots/<fileName> for the README (e.g. needs-reauth.png). */
export async function publishScreenshot(path: string, fileName: string): Promise<void> {
  if (!publishing) return;
  await mkdir(readmeScreenshotDir, { recursive: true });
  await copyFile(path, join(readmeScreenshotDir, fileName));
}
