// Debian's Chromium for browser tests, driven by playwright-core. In CI a missing Chromium is an error.
import { existsSync, mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;

/** The skip reason when Chromium is missing here (never in CI). */
export const chromiumSkip = (): string | false =>
  !existsSync(CHROMIUM) && !process.env.CI && 'chromium is not installed (apt-get install chromium)';

export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless'] });
}

/** The errors a page logs to its console or throws, as they come. */
export function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  return errors;
}
